// Shared jest settings: TypeScript through @swc/jest, workspace packages resolved to
// their sources so tests never depend on a stale dist/.
const path = require('node:path');
const root = __dirname;
module.exports = {
  // node environment sharing typed-array constructors with native addons (onnxruntime-node); see the file
  testEnvironment: path.join(__dirname, 'jest.environment.cjs'),
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      require.resolve('@swc/jest'),
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@ihc/([a-z-]+)$': path.join(root, 'packages/$1/src/index.ts'),
    '^@ihc/([a-z-]+)/([a-z-]+)$': path.join(root, 'packages/$1/src/$2.ts'),
  },
  // tfjs-core's register_all_gradients ships as extensionless ESM: let swc compile it.
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/)'],
  testTimeout: 120000,
};
