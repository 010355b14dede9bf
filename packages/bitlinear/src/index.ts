// Main entry: TF.js quantisers, denseMatMul, bitLinear, and (plain TS) bit packing.
// The Layers API layer lives in '@ihc/bitlinear/layer' (needs @tensorflow/tfjs-layers).
export { BitLinearError } from './errors';
export type { BitLinearErrorCode } from './errors';
export { stopGradient, steQuantize } from './stop-gradient';
export {
  binarizeWeights,
  ternarizeWeights,
  binarizeWeightsValue,
  ternarizeWeightsValue,
} from './weight-quantizers';
export { quantizeActivations, quantizeWithGamma, activationGamma } from './activation-quantizer';
export type { QuantizeActivationsOptions } from './activation-quantizer';
export { denseMatMul } from './dense-matmul';
export { layerNorm } from './layer-norm';
export type { LayerNormOptions } from './layer-norm';
export { bitLinear, bitLinearShared, resolveBitLinearOptions, WEIGHT_BITS } from './bit-linear';
export type { BitLinearOptions, ResolvedBitLinearOptions, WeightBits } from './bit-linear';
export * from './packed';
