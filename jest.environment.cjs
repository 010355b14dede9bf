// jest runs tests in a separate VM realm, so typed arrays made there fail
// onnxruntime-node's `instanceof Float32Array` checks against arrays made by its native
// binding (and the other way round). Share the outer realm's typed-array constructors.
// Also gives tests __setNativeEnv(key, value) (see below).
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class SharedTypedArraysEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) {
      if (globalThis[name] !== undefined) this.global[name] = globalThis[name];
    }
    // Tests see a copy of process.env; native libraries (Vulkan's loader reading
    // VK_ICD_FILENAMES) see the real one. Let a test set a variable for them.
    this.global.__setNativeEnv = (key, value) => {
      process.env[key] = value;
    };
  }
}

module.exports = SharedTypedArraysEnvironment;
