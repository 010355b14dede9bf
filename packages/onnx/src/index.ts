// @ihc/onnx: export @ihc models to ONNX (no runtime needed; works in browsers).
export { OnnxError, type OnnxErrorCode } from './errors';
export { validateConfig, validateWeights, expectedShapes } from './config';
export type { ModelConfig, WeightRecord, ExportableModel } from './config';
export {
  exportOnnx,
  buildOnnxModel,
  checkProtoSize,
  MAX_PROTO_BYTES,
  IR_VERSION,
  OPSET_VERSION,
  LAYER_NORM_EPS,
  ACTIVATION_EPS,
  METADATA_KEYS,
  FORMAT,
} from './export';
export type { ExportOptions, KernelStorage, OnnxBuild } from './export';
export { encodeModel } from './onnx-proto';
export type { ModelSpec, GraphSpec, NodeSpec, TensorSpec, ValueInfoSpec, AttributeSpec } from './onnx-proto';
export { DataType } from './onnx-proto';
export { packSignKernel, packTernaryKernel, unpackKernel, ternaryCodes, kernelScale, TERNARY_EPS } from './packing';
export type { PackedKernel } from './packing';
export { toFloat16Bits, fromFloat16Bits, toFloat16Array, roundToFloat16 } from './float16';
export { readOnnxMetadata } from './metadata';
export type { OnnxMetadata } from './metadata';
export { prepareIds, wrapSession, checkOptimizationLevel } from './session';
export type { OnnxSession, RunResult, TokenIds, OrtModule, OptimizationLevel } from './session';
export { sinusoidalTable } from './sinusoid';
export { VERSION } from './version';
