/**
 * `@ihc/bitlinear/packed`: bit packing and the packed matmul in plain TypeScript,
 * with no TF.js import (for TF.js-free inference). Also re-exported by the main entry.
 */
export { BitLinearError } from './errors';
export type { BitLinearErrorCode } from './errors';
export { roundHalfEven } from './round';
export {
  ACTIVATION_EPS,
  ACTIVATION_QMAX,
  ACTIVATION_QMIN,
  LAYER_NORM_EPS,
  TERNARY_EPS,
} from './constants';
export type { ActivationScaling } from './constants';
export {
  packSigns,
  unpackSigns,
  packBinaryWeights,
  unpackBinaryWeights,
  binaryBytesPerRow,
} from './pack-binary';
export type { PackedBinaryWeights } from './pack-binary';
export {
  packTernary,
  unpackTernary,
  packTernaryCodes,
  packTernaryWeights,
  unpackTernaryWeights,
  ternaryBytesPerRow,
  ternaryCode,
} from './pack-ternary';
export type { PackedTernaryWeights } from './pack-ternary';
export { packedMatMul, packedMatVec } from './packed-matmul';
export type { PackedMatMulOptions, PackedWeights } from './packed-matmul';
