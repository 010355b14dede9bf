import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeError } from './errors';

/** Sizes and switches of a native training context (all integers except eps). */
export interface NativeContextConfig {
  vocabSize: number;
  maxSeqLength: number;
  embedSize: number;
  numHeads: number;
  numLayers: number;
  maxBatch: number;
  /** 0 none, 1 pre, 2 post. */
  norm: number;
  /** 0 none, 1 learnable, 2 fixed table (sinusoidal). */
  pos: number;
  /** 0 fp, 1 binary, 2 ternary. */
  precision: number;
  frozen: number;
  /** 8 or 0 (activations not quantised). */
  activationBits: number;
  perTensor: number;
  offByOne: number;
  lossTarget: number;
  eps: number;
  /** Head size from which attention reads padded copies of each head (default 64; results are identical either way). */
  gatherMinHead?: number;
}

/** An opaque native context (activation buffers for the largest batch). */
export type NativeContext = { readonly __nativeContext: unique symbol };

/** The compiled addon's functions (csrc/ihc_native.c). */
export interface NativeAddon {
  create(config: NativeContextConfig): NativeContext;
  step(
    ctx: NativeContext,
    batch: number,
    length: number,
    ids: Int32Array,
    labels: Int32Array,
    queryPos: Int32Array,
    params: Float32Array[],
    grads: (Float32Array | null)[],
    posTable: Float32Array | null,
    preds: Int32Array,
  ): number;
  sumSquares(arrays: (Float32Array | null)[]): number;
  adamw(
    params: Float32Array[],
    grads: Float32Array[],
    m: Float32Array[],
    v: Float32Array[],
    decay: Uint8Array,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    t: number,
    gradScale: number,
  ): void;
  setThreads(threads: number): void;
  info(): { blas: string; threads: number };
  /** Bytes of activation buffers the context holds. */
  contextBytes(ctx: NativeContext): number;
  /** Frees the context's buffers now (instead of when it is garbage-collected). */
  destroy(ctx: NativeContext): void;
  /** Turns per-phase timing of `step` on or off (process-wide; for benchmarks). */
  setProfiling(on: boolean): void;
  /** Milliseconds per profiled step by phase since the last call, then resets. */
  profile(): NativeProfile;
}

/** What `profile()` returns: milliseconds per step (wall clock) spent in each phase. */
export interface NativeProfile {
  /** Every OpenBLAS product (projections, their gradients, unembedding) with its bias add / bias gradient. */
  matmul: number;
  /** Causal attention forward and backward (scores, softmax, weighted sums). */
  attention: number;
  layerNorm: number;
  /** Weight and activation quantisation (BitLinear). */
  quantise: number;
  /** Log-softmax, cross-entropy, its gradient and the predictions. */
  loss: number;
  /** The rest of the step: embedding, residual adds, gradient zeroing. */
  other: number;
  /** The whole step (AdamW not included: it is a separate call). */
  step: number;
  /** Steps averaged. */
  steps: number;
}

/** Environment variable naming another compiled addon file to load. */
export const NATIVE_ADDON_ENV_VAR = 'IHC_NATIVE_ADDON';

/** Where the addon is looked for: `$IHC_NATIVE_ADDON`, else `build/ihc_native.node` of this package. */
export function addonPath(): string {
  const override = typeof process !== 'undefined' ? process.env[NATIVE_ADDON_ENV_VAR] : undefined;
  if (override) return override;
  // src/ (tests) and dist/ (builds; tsup shims __dirname in ESM) are both one level below the package root.
  return join(__dirname, '..', 'build', 'ihc_native.node');
}

let cached: { addon: NativeAddon | null; reason: string | null } | null = null;

function load(): { addon: NativeAddon | null; reason: string | null } {
  if (cached) return cached;
  const path = addonPath();
  if (typeof process === 'undefined' || !process.versions?.node) {
    cached = { addon: null, reason: '@ihc/native runs in Node only' };
  } else if (!existsSync(path)) {
    cached = {
      addon: null,
      reason: `${path} is missing: build it with \`npm run build -w @ihc/native\` (needs a C compiler and libopenblas-dev)`,
    };
  } else {
    try {
      cached = { addon: createRequire(join(__dirname, 'noop.js'))(path) as NativeAddon, reason: null };
    } catch (error) {
      cached = { addon: null, reason: `${path} failed to load: ${(error as Error).message}` };
    }
  }
  return cached;
}

/** Whether the compiled addon loads here, and if not, why. */
export interface NativeStatus {
  available: boolean;
  /** Why it is unavailable (null when available). */
  reason: string | null;
  /** OpenBLAS's build description (null when unavailable). */
  blas: string | null;
  /** OpenBLAS threads (null when unavailable). */
  threads: number | null;
}

/** Tries to load the addon (once per process) and reports the result; never throws. */
export function nativeStatus(): NativeStatus {
  const { addon, reason } = load();
  if (!addon) return { available: false, reason, blas: null, threads: null };
  const info = addon.info();
  return { available: true, reason: null, blas: info.blas, threads: info.threads };
}

/** The loaded addon; throws `NativeError` (NATIVE_UNAVAILABLE) saying why when it cannot load. */
export function loadNativeAddon(): NativeAddon {
  const { addon, reason } = load();
  if (!addon) throw new NativeError('NATIVE_UNAVAILABLE', `The @ihc/native addon is unavailable: ${reason}.`);
  return addon;
}
