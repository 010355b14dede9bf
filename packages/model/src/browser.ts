/**
 * Browser entry (`@ihc/model/browser`, built as `dist/browser.js`): everything a page
 * needs to build, run and train the model, without the Node-only trainer and checkpoint
 * files (they use node:fs / node:crypto).
 *
 * The build is one self-contained ES module: tfjs-core, its gradients, the webgpu, webgl,
 * wasm and cpu backends and `@ihc/copy-task` are bundled in, so a page can load it from any
 * static server without an import map. Use the `tf` it exports (another copy of
 * tfjs-core would not share its tensor class). The wasm backend fetches its `.wasm`
 * binaries at run time: serve `@tensorflow/tfjs-backend-wasm/dist/*.wasm` and pass
 * their URL prefix as `selectBackend({ wasmPaths })`.
 *
 * `selectBackend()` here tries WebGPU, then WebGL, then wasm, then cpu ('auto'), or the one asked for.
 */
import './gradients';
import * as tf from '@tensorflow/tfjs-core';
import {
  selectBackend as selectBackendWith,
  type BackendModules,
  type SelectBackendOptions,
  type SelectedBackend,
} from './backend';

export { tf };

/** The backends bundled into this build (loaded on first use). */
export const BROWSER_BACKEND_MODULES: BackendModules = {
  '@tensorflow/tfjs-backend-webgpu': () => import('@tensorflow/tfjs-backend-webgpu'),
  '@tensorflow/tfjs-backend-webgl': () => import('@tensorflow/tfjs-backend-webgl'),
  '@tensorflow/tfjs-backend-wasm': () => import('@tensorflow/tfjs-backend-wasm'),
  '@tensorflow/tfjs-backend-cpu': () => import('@tensorflow/tfjs-backend-cpu'),
};

/**
 * `selectBackend` with the bundled backends: 'auto' (default) tries webgpu, webgl, wasm,
 * cpu and reports why it skipped any in `detail`; `backend: 'webgpu' | 'webgl' | 'wasm' | 'cpu'`
 * forces one (or throws `BackendError`).
 */
export function selectBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  return selectBackendWith({ env: {}, ...options, modules: { ...BROWSER_BACKEND_MODULES, ...options.modules } });
}

export {
  autoBackendOrder,
  BACKEND_CHOICES,
  BACKEND_NAMES,
  type BackendChoice,
  type BackendModules,
  type BackendName,
  type SelectBackendOptions,
  type SelectedBackend,
} from './backend';
export {
  ModelError,
  ModelConfigError,
  ModelParamsError,
  ModelInputError,
  BackendError,
  type ModelErrorCode,
  type BackendErrorCode,
} from './errors';
export { TrainingError, TrainConfigError, type TrainingErrorCode } from './training-error';
export {
  defaultModelConfig,
  resolveModelConfig,
  headSize,
  PRECISIONS,
  POS_EMBEDS,
  NORM_MODES,
  SOFTMAX_MODES,
  type ModelConfig,
  type Precision,
  type PosEmbed,
  type NormMode,
  type SoftmaxMode,
} from './config';
export {
  initParams,
  initParamRecord,
  paramNames,
  paramShapes,
  paramsToRecordAsync,
  paramsFromRecord,
  disposeParams,
  countParams,
  type Params,
  type ParamRecord,
} from './params';
export { forward, createModel, type ForwardResult, type Model, type TokenIds } from './forward';
export { createAdamW, decaysWeight, type AdamW, type AdamWOptions } from './adamw';
export { crossEntropyLoss, tokenNll, targetNll, type LossOptions } from './loss';
export { lrAt, warmupStepsFor, type ScheduleConfig, type ScheduleKind } from './schedule';
export {
  resolveTrainConfig,
  scheduleOf,
  stepsPerEpoch,
  totalSteps,
  defaultTrainConfig,
  type TrainConfig,
  type TrainConfigInput,
  type LossMode,
} from './train-config';
export { argmaxAt, copyHits, evaluate, type EvaluationResult, type EvaluateOptions } from './metrics';
export {
  generateCopyTask,
  batchIterator,
  createTokenizer,
  type CopyTask,
  type CopyTaskSplit,
  type Batch,
  type Tokenizer,
} from '@ihc/copy-task';
