import { BitLinearError } from './errors';
import { checkPackDims, checkPackedLength, meanAbs } from './pack-checks';
import { roundHalfEven } from './round';
import { TERNARY_EPS } from './constants';

/**
 * Ternary (1.58-bit) weights packed 4 per byte, 2 bits each: 00 -> 0, 01 -> +1,
 * 10 -> -1 (11 is invalid). Layout `[out, ceil(in / 4)]` (row-major): input `i` of
 * output `o` sits in byte `o * ceil(in/4) + (i >> 2)` at bits `2 * (i & 3)` and
 * `2 * (i & 3) + 1` (least significant pair first along the input axis); padding is 00.
 * The de-quantised weight is `code * beta`.
 */
export interface PackedTernaryWeights {
  kind: 'ternary';
  bits: Uint8Array;
  /** mean(|W|) of the latent kernel, float32. */
  beta: number;
  /** [out, in]. */
  shape: [number, number];
}

/** Bytes per output row of a ternary pack. */
export function ternaryBytesPerRow(inFeatures: number): number {
  return Math.ceil(inFeatures / 4);
}

/** The ternary code in {-1, 0, +1} of one weight: round(clip(w / (beta + 1e-8), -1, 1)). */
export function ternaryCode(w: number, beta: number): number {
  const r = Math.fround(w / Math.fround(beta + TERNARY_EPS));
  return roundHalfEven(Math.min(1, Math.max(-1, r))) + 0; // + 0 turns -0 into 0
}

/** Packs codes in {-1, 0, +1} given row-major `[in, out]` into `[out, ceil(in/4)]` bytes. */
export function packTernaryCodes(codes: ArrayLike<number>, inFeatures: number, outFeatures: number): Uint8Array {
  checkPackDims('packTernaryCodes', codes.length, inFeatures, outFeatures);
  const bpr = ternaryBytesPerRow(inFeatures);
  const bits = new Uint8Array(outFeatures * bpr);
  for (let i = 0; i < inFeatures; i++) {
    const byte = i >> 2;
    const shift = 2 * (i & 3);
    for (let o = 0; o < outFeatures; o++) {
      const c = codes[i * outFeatures + o];
      if (c !== 0 && c !== 1 && c !== -1) {
        throw new BitLinearError('BAD_VALUE', `ternary codes must be -1, 0 or 1; got ${c} at [${i}, ${o}]`);
      }
      if (c !== 0) bits[o * bpr + byte] |= (c === 1 ? 1 : 2) << shift;
    }
  }
  return bits;
}

/** Ternarises a row-major `[in, out]` kernel (b1.58) and packs its codes. */
export function packTernary(w: ArrayLike<number>, inFeatures: number, outFeatures: number): Uint8Array {
  return packTernaryWeights(w, inFeatures, outFeatures).bits;
}

/** Unpacks ternary bytes to a row-major `[in, out]` Float32Array of -1 / 0 / +1. */
export function unpackTernary(bits: Uint8Array, inFeatures: number, outFeatures: number): Float32Array {
  checkPackDims('unpackTernary', inFeatures * outFeatures, inFeatures, outFeatures);
  const bpr = ternaryBytesPerRow(inFeatures);
  checkPackedLength('unpackTernary', bits, outFeatures, bpr);
  const out = new Float32Array(inFeatures * outFeatures);
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++) {
      const code = (bits[o * bpr + (i >> 2)] >> (2 * (i & 3))) & 3;
      if (code === 3) {
        throw new BitLinearError('BAD_VALUE', `invalid ternary code 0b11 for input ${i} of output ${o}; valid: 00, 01, 10`);
      }
      out[i * outFeatures + o] = code === 1 ? 1 : code === 2 ? -1 : 0;
    }
  }
  return out;
}

/** Packs a latent `[in, out]` kernel as BitNet b1.58 ternary weights + beta = mean|W|. */
export function packTernaryWeights(kernel: ArrayLike<number>, inFeatures: number, outFeatures: number): PackedTernaryWeights {
  checkPackDims('packTernaryWeights', kernel.length, inFeatures, outFeatures);
  const beta = meanAbs(kernel);
  const codes = new Int8Array(kernel.length);
  for (let k = 0; k < kernel.length; k++) codes[k] = ternaryCode(kernel[k], beta);
  return { kind: 'ternary', bits: packTernaryCodes(codes, inFeatures, outFeatures), beta, shape: [outFeatures, inFeatures] };
}

/**
 * De-quantises a ternary pack to a row-major `[in, out]` Float32Array `code * beta`,
 * equal to `ternarizeWeights(kernel)`.
 */
export function unpackTernaryWeights(packed: PackedTernaryWeights): Float32Array {
  const [outFeatures, inFeatures] = packed.shape;
  const codes = unpackTernary(packed.bits, inFeatures, outFeatures);
  const beta = Math.fround(packed.beta);
  for (let k = 0; k < codes.length; k++) codes[k] = codes[k] * beta + 0;
  return codes;
}
