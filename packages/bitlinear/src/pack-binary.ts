import { checkPackDims, checkPackedLength, mean, meanAbs } from './pack-checks';

/**
 * 1-bit weights packed 8 per byte. Layout `[out, ceil(in / 8)]` (row-major): byte
 * `o * ceil(in/8) + (i >> 3)` holds input `i` of output `o` at bit `i & 7` (least
 * significant bit first along the input axis); bit 1 = +1, bit 0 = -1; padding bits
 * of the last byte of a row are 0. The de-quantised weight is `(2 * bit - 1) * beta`.
 */
export interface PackedBinaryWeights {
  kind: 'binary';
  bits: Uint8Array;
  /** mean(|W|) of the latent kernel, float32. */
  beta: number;
  /** [out, in]. */
  shape: [number, number];
}

/** Bytes per output row of a binary pack. */
export function binaryBytesPerRow(inFeatures: number): number {
  return Math.ceil(inFeatures / 8);
}

/**
 * Packs `sign(W - mean(W))` (sign(0) := +1) of a row-major `[in, out]` kernel (the
 * TF.js layout) into `[out, ceil(in/8)]` bytes, LSB first along the input axis.
 */
export function packSigns(w: ArrayLike<number>, inFeatures: number, outFeatures: number): Uint8Array {
  checkPackDims('packSigns', w.length, inFeatures, outFeatures);
  const m = mean(w);
  const bpr = binaryBytesPerRow(inFeatures);
  const bits = new Uint8Array(outFeatures * bpr);
  for (let i = 0; i < inFeatures; i++) {
    const byte = i >> 3;
    const mask = 1 << (i & 7);
    for (let o = 0; o < outFeatures; o++) {
      if (w[i * outFeatures + o] >= m) bits[o * bpr + byte] |= mask;
    }
  }
  return bits;
}

/** Unpacks `packSigns` bytes to a row-major `[in, out]` Float32Array of +1 / -1. */
export function unpackSigns(bits: Uint8Array, inFeatures: number, outFeatures: number): Float32Array {
  checkPackDims('unpackSigns', inFeatures * outFeatures, inFeatures, outFeatures);
  const bpr = binaryBytesPerRow(inFeatures);
  checkPackedLength('unpackSigns', bits, outFeatures, bpr);
  const out = new Float32Array(inFeatures * outFeatures);
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++) {
      out[i * outFeatures + o] = (bits[o * bpr + (i >> 3)] >> (i & 7)) & 1 ? 1 : -1;
    }
  }
  return out;
}

/** Packs a latent `[in, out]` kernel as BitNet 1-bit weights: signs + beta = mean|W|. */
export function packBinaryWeights(kernel: ArrayLike<number>, inFeatures: number, outFeatures: number): PackedBinaryWeights {
  const bits = packSigns(kernel, inFeatures, outFeatures);
  return { kind: 'binary', bits, beta: meanAbs(kernel), shape: [outFeatures, inFeatures] };
}

/**
 * De-quantises a binary pack to a row-major `[in, out]` Float32Array `(+1|-1) * beta`,
 * equal to `binarizeWeights(kernel)`.
 */
export function unpackBinaryWeights(packed: PackedBinaryWeights): Float32Array {
  const [outFeatures, inFeatures] = packed.shape;
  const signs = unpackSigns(packed.bits, inFeatures, outFeatures);
  const beta = Math.fround(packed.beta);
  for (let k = 0; k < signs.length; k++) signs[k] *= beta;
  return signs;
}
