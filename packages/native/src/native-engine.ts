import {
  decaysWeight,
  isTrainable,
  paramShapes,
  sinusoidalTable,
  validateParamRecord,
  LAYER_NORM_EPS,
  type AdamWState,
  type ModelConfig,
  type ParamRecord,
  type StepBatch,
  type StepEngine,
  type StepEngineFactory,
  type StepEngineInit,
  type StepGradients,
} from '@ihc/model';
import { availableParallelism } from 'node:os';
import { loadNativeAddon, type NativeAddon, type NativeContextConfig } from './addon';
import { NativeError } from './errors';
import { paramOrder } from './param-order';

/** Options of {@link nativeEngine}. */
export interface NativeEngineOptions {
  /**
   * OpenBLAS threads for the matrix products (default: `$IHC_NATIVE_THREADS`, else
   * `defaultThreads(embedSize)`). The rest of the step runs on one thread. Results do
   * not depend on it (OpenBLAS splits the output, not the sums: tested bit for bit).
   */
  threads?: number;
}

/** Below this embed size one thread is faster: the GEMMs are too small to share (d 64: 50 vs 32 steps/s on 2 cores). */
export const MULTITHREAD_MIN_EMBED = 128;

/** Default OpenBLAS threads for a model: every core from `MULTITHREAD_MIN_EMBED` up, else 1. */
export function defaultThreads(embedSize: number): number {
  return embedSize >= MULTITHREAD_MIN_EMBED ? Math.max(1, availableParallelism()) : 1;
}

/** Environment variable with the default thread count of {@link nativeEngine}. */
export const NATIVE_THREADS_ENV_VAR = 'IHC_NATIVE_THREADS';

function resolveThreads(options: NativeEngineOptions): number | null {
  const raw = options.threads ?? (process.env[NATIVE_THREADS_ENV_VAR] ? Number(process.env[NATIVE_THREADS_ENV_VAR]) : undefined);
  if (raw === undefined) return null; // defaultThreads(embedSize), once the model is known
  if (!Number.isInteger(raw) || raw < 1 || raw > 64) {
    throw new NativeError(
      'INVALID_OPTION',
      `Invalid native threads ${String(options.threads ?? process.env[NATIVE_THREADS_ENV_VAR])}; expected an integer 1..64 (option threads or $${NATIVE_THREADS_ENV_VAR}).`,
    );
  }
  return raw;
}

/** The addon's integer encoding of a model config. */
export function contextConfig(config: ModelConfig, lossMode: 'all' | 'target', maxBatch: number): NativeContextConfig {
  return {
    vocabSize: config.vocabSize,
    maxSeqLength: config.maxSeqLength,
    embedSize: config.embedSize,
    numHeads: config.numHeads,
    numLayers: config.numLayers,
    maxBatch,
    norm: { none: 0, pre: 1, post: 2 }[config.norm],
    pos: { none: 0, learnable: 1, trigonometric: 2 }[config.posEmbed],
    precision: config.precision === 'fp' ? 0 : config.precision === '1.58bit' ? 2 : 1,
    frozen: config.precision === 'frozen-sign' ? 1 : 0,
    activationBits: config.activationBits ?? 0,
    perTensor: config.activationScaling === 'per-tensor' ? 1 : 0,
    offByOne: config.softmax === 'off-by-one' ? 1 : 0,
    lossTarget: lossMode === 'target' ? 1 : 0,
    eps: LAYER_NORM_EPS,
  };
}

function copyRecord(names: readonly string[], arrays: readonly Float32Array[], shapes: Record<string, number[]>): ParamRecord {
  const record: ParamRecord = {};
  names.forEach((name, i) => {
    record[name] = { shape: [...shapes[name]], data: Float32Array.from(arrays[i]) };
  });
  return record;
}

function checkOptimizerState(state: AdamWState, trainable: readonly string[], shapes: Record<string, number[]>): void {
  if (!Number.isInteger(state.t) || state.t < 0) {
    throw new NativeError('BAD_STATE', `AdamW state needs an integer step count t >= 0; got ${String(state.t)}.`);
  }
  for (const [kind, record] of [['m', state.m], ['v', state.v]] as const) {
    const given = Object.keys(record ?? {}).sort();
    const want = [...trainable].sort();
    if (given.length !== want.length || given.some((n, i) => n !== want[i])) {
      throw new NativeError('BAD_STATE', `AdamW state ${kind} has parameters [${given.join(', ')}]; this model trains [${want.join(', ')}].`);
    }
    for (const name of trainable) {
      const size = shapes[name].reduce((a, b) => a * b, 1);
      if (record[name].data.length !== size) {
        throw new NativeError('BAD_STATE', `AdamW state ${kind}.${name} has ${record[name].data.length} values; the parameter has ${size}.`);
      }
    }
  }
}

/**
 * A `StepEngine` for `train({ engine })` of `@ihc/model` that runs the whole training
 * step in C (csrc/ihc_native.c): the GEMMs in OpenBLAS (multi-threaded), everything else
 * fused, no autograd tape, activations in buffers allocated once. Same model, loss,
 * gradients (straight-through estimators included), clipping and AdamW as the TF.js step,
 * to float32 rounding (tests compare them). Throws `NativeError` (NATIVE_UNAVAILABLE)
 * when the addon is not built.
 */
export function nativeEngine(options: NativeEngineOptions = {}): StepEngineFactory {
  const addon: NativeAddon = loadNativeAddon();
  const threads = resolveThreads(options);
  return (init: StepEngineInit): StepEngine => createNativeEngine(addon, threads, init);
}

function createNativeEngine(addon: NativeAddon, threads: number | null, init: StepEngineInit): StepEngine {
  const { config, trainConfig: tc } = init;
  validateParamRecord(init.params, config);
  if (!Number.isInteger(init.maxBatch) || init.maxBatch < 1) {
    throw new NativeError('INVALID_OPTION', `maxBatch must be an integer >= 1; got ${String(init.maxBatch)}.`);
  }
  const shapes = paramShapes(config);
  const names = paramOrder(config);
  const params = names.map((n) => Float32Array.from(init.params[n].data));
  const grads = names.map((n, i) => (isTrainable(n, config) ? new Float32Array(params[i].length) : null));
  const trainIdx = names.map((_, i) => i).filter((i) => grads[i] !== null);
  const trainNames = trainIdx.map((i) => names[i]);
  const state = init.optimizer;
  if (state) checkOptimizerState(state, trainNames, shapes);
  const m = trainIdx.map((i) => (state ? Float32Array.from(state.m[names[i]].data) : new Float32Array(params[i].length)));
  const v = trainIdx.map((i) => (state ? Float32Array.from(state.v[names[i]].data) : new Float32Array(params[i].length)));
  const decay = Uint8Array.from(trainNames.map((n) => (decaysWeight(n, tc.weightDecayScope) ? 1 : 0)));
  const trainParams = trainIdx.map((i) => params[i]);
  const trainGrads = trainIdx.map((i) => grads[i] as Float32Array);
  const posTable = config.posEmbed === 'trigonometric' ? sinusoidalTable(config.maxSeqLength, config.embedSize) : null;
  // OpenBLAS's thread count is process-wide: set before every step, so engines with
  // different counts can alternate (results do not depend on it, only speed)
  const blasThreads = threads ?? defaultThreads(config.embedSize);
  let ctx: ReturnType<NativeAddon['create']> | null = addon.create(contextConfig(config, tc.loss, init.maxBatch));
  let t = state ? state.t : 0;
  let ready = false;
  const live = (): NonNullable<typeof ctx> => {
    if (ctx === null) throw new NativeError('DISPOSED', 'This native engine has been disposed.');
    return ctx;
  };
  return {
    name: `native (${addon.info().blas.split(' ').slice(0, 2).join(' ')}, ${blasThreads} thread${blasThreads === 1 ? '' : 's'})`,
    computeGradients(batch: StepBatch): StepGradients {
      const c = live();
      const preds = new Int32Array(batch.size);
      addon.setThreads(blasThreads);
      const loss = addon.step(c, batch.size, batch.length, batch.inputs, batch.labels, batch.queryPos, params, grads, posTable, preds);
      ready = true;
      return { loss, preds };
    },
    applyUpdate(lr: number): void {
      live();
      if (!ready) throw new NativeError('BAD_STATE', 'applyUpdate needs gradients: call computeGradients first.');
      let scale = 1;
      if (tc.gradClip !== null) {
        const norm = Math.fround(Math.sqrt(addon.sumSquares(trainGrads)));
        scale = Math.min(1, tc.gradClip / (norm + 1e-6));
      }
      t += 1;
      addon.adamw(trainParams, trainGrads, m, v, decay, lr, tc.betas[0], tc.betas[1], tc.eps, tc.weightDecay, t, scale);
      ready = false;
    },
    params(): ParamRecord {
      live();
      return copyRecord(names, params, shapes);
    },
    optimizerState(): AdamWState {
      live();
      return { t, m: copyRecord(trainNames, m, shapes), v: copyRecord(trainNames, v, shapes) };
    },
    dispose(): void {
      if (ctx !== null) addon.destroy(ctx);
      ctx = null;
    },
  };
}
