// Bit packing of quantised Q/K/V/O kernels, docs/SPEC.md (@ihc/bitlinear):
// 1-bit: Wb = sign(W - mean W) (sign(0) := +1), beta = mean|W|; stored [out, ceil(in/8)]
// bytes, bit (i & 7) of byte [o, i >> 3] is 1 for +1 and 0 for -1 (LSB first along
// the input axis). Ternary (b1.58): codes round(clip(W / (mean|W| + 1e-8), -1, 1)),
// 2 bits each (00 -> 0, 01 -> +1, 10 -> -1), 4 per byte LSB first, [out, ceil(in/4)].
// Kernels come in the TF.js layout [in, out] (row-major).
import { OnnxError } from './errors';

/** Added to mean|W| before dividing in the ternary quantiser (as @ihc/bitlinear). */
export const TERNARY_EPS = 1e-8;

/** A packed kernel: bytes `[out, bytesPerRow]` and the scale beta (fp32). */
export interface PackedKernel {
  packed: Uint8Array;
  /** Packed shape `[out, ceil(in/8)]` (1-bit) or `[out, ceil(in/4)]` (ternary). */
  shape: [number, number];
  /** beta = mean|W| over the whole matrix, rounded to fp32. */
  scale: number;
  inFeatures: number;
  outFeatures: number;
  bits: 1 | 2;
}

function checkKernel(kernel: ArrayLike<number>, inF: number, outF: number): void {
  if (!Number.isInteger(inF) || !Number.isInteger(outF) || inF < 1 || outF < 1 || kernel.length !== inF * outF) {
    throw new OnnxError(
      'INVALID_MODEL',
      `kernel of ${kernel.length} values does not match [in ${inF}, out ${outF}]`,
    );
  }
}

/** beta = mean|W| in float64, rounded to fp32. */
export function kernelScale(kernel: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < kernel.length; i++) s += Math.abs(kernel[i]);
  return Math.fround(s / kernel.length);
}

/** mean(W) in float64, rounded to fp32 (the threshold of the sign). */
export function kernelMean(kernel: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < kernel.length; i++) s += kernel[i];
  return Math.fround(s / kernel.length);
}

/** Binarise and pack a TF.js-layout kernel `[in, out]`. */
export function packSignKernel(kernel: ArrayLike<number>, inF: number, outF: number): PackedKernel {
  checkKernel(kernel, inF, outF);
  const mean = kernelMean(kernel);
  const rowBytes = Math.ceil(inF / 8);
  const packed = new Uint8Array(outF * rowBytes);
  for (let i = 0; i < inF; i++) {
    for (let o = 0; o < outF; o++) {
      if (kernel[i * outF + o] >= mean) packed[o * rowBytes + (i >> 3)] |= 1 << (i & 7);
    }
  }
  return { packed, shape: [outF, rowBytes], scale: kernelScale(kernel), inFeatures: inF, outFeatures: outF, bits: 1 };
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Ternary codes (-1, 0, +1) of a kernel, in the kernel's own `[in, out]` layout. */
export function ternaryCodes(kernel: ArrayLike<number>): Int8Array {
  const beta = kernelScale(kernel);
  const denom = Math.fround(beta + TERNARY_EPS);
  const codes = new Int8Array(kernel.length);
  for (let j = 0; j < kernel.length; j++) {
    const r = Math.fround(kernel[j] / denom);
    codes[j] = roundHalfEven(Math.min(1, Math.max(-1, r)));
  }
  return codes;
}

/** Ternarise and pack a TF.js-layout kernel `[in, out]`, 2 bits per weight. */
export function packTernaryKernel(kernel: ArrayLike<number>, inF: number, outF: number): PackedKernel {
  checkKernel(kernel, inF, outF);
  const codes = ternaryCodes(kernel);
  const rowBytes = Math.ceil(inF / 4);
  const packed = new Uint8Array(outF * rowBytes);
  for (let i = 0; i < inF; i++) {
    for (let o = 0; o < outF; o++) {
      const c = codes[i * outF + o];
      if (c !== 0) packed[o * rowBytes + (i >> 2)] |= (c > 0 ? 1 : 2) << ((i & 3) * 2);
    }
  }
  return { packed, shape: [outF, rowBytes], scale: kernelScale(kernel), inFeatures: inF, outFeatures: outF, bits: 2 };
}

/** The de-quantised kernel `[in, out]` (values +-beta, or -beta/0/+beta) a packed kernel stands for. */
export function unpackKernel(p: PackedKernel): Float32Array {
  const { inFeatures: inF, outFeatures: outF, packed } = p;
  const rowBytes = p.shape[1];
  const out = new Float32Array(inF * outF);
  for (let i = 0; i < inF; i++) {
    for (let o = 0; o < outF; o++) {
      const byte = packed[o * rowBytes + (p.bits === 1 ? i >> 3 : i >> 2)];
      let code: number;
      if (p.bits === 1) code = (byte >> (i & 7)) & 1 ? 1 : -1;
      else {
        const field = (byte >> ((i & 3) * 2)) & 3;
        code = field === 1 ? 1 : field === 2 ? -1 : 0;
      }
      out[i * outF + o] = code * p.scale;
    }
  }
  return out;
}
