import './gradients';

export {
  ModelError,
  ModelConfigError,
  ModelParamsError,
  ModelInputError,
  BackendError,
  type ModelErrorCode,
  type BackendErrorCode,
} from './errors';
export {
  defaultModelConfig,
  resolveModelConfig,
  headSize,
  POS_EMBEDS,
  POS_INITS,
  NORM_MODES,
  SOFTMAX_MODES,
  PRECISIONS,
  ACTIVATION_BITS,
  ACTIVATION_SCALINGS,
  type ModelConfig,
  type PosEmbed,
  type PosInit,
  type NormMode,
  type SoftmaxMode,
  type Precision,
  type ActivationBits,
  type ActivationScaling,
} from './config';
export {
  initParams,
  initParamRecord,
  paramShapes,
  paramNames,
  paramsToRecord,
  paramsToRecordAsync,
  paramsFromRecord,
  validateParamRecord,
  disposeParams,
  countParams,
  isTrainable,
  kernelName,
  biasName,
  PROJECTIONS,
  type Params,
  type ParamRecord,
  type Projection,
} from './params';
export { sinusoidalTable, sinusoidalEncoding } from './positional';
export { oneHotFloat } from './one-hot';
export {
  causalAttention,
  batchMatMul,
  splitHeads,
  mergeHeads,
  causalMask,
  offByOneSoftmax,
  attentionProbs,
  type AttentionResult,
} from './attention';
export {
  forward,
  createModel,
  projection,
  LAYER_NORM_EPS,
  type ForwardResult,
  type Model,
  type TokenIds,
} from './forward';
export {
  selectBackend,
  availableBackends,
  autoBackendOrder,
  wasmBinaryDir,
  BACKEND_NAMES,
  BACKEND_CHOICES,
  BACKEND_ENV_VAR,
  SWIFTSHADER_ICD_PATHS,
  type BackendName,
  type BackendChoice,
  type SelectBackendOptions,
  type SelectedBackend,
} from './backend';
export * from './training-error';
export * from './train-config';
export * from './schedule';
export * from './adamw';
export * from './grad-clip';
export * from './loss';
export * from './metrics';
export * from './atomic-write';
export * from './safetensors';
export * from './checkpoint';
export * from './trainer';
export * from './step-engine';
