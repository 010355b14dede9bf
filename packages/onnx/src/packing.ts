// Bit packing of quantised Q/K/V/O kernels for the ONNX graph: the layouts and
// quantisers of @ihc/bitlinear/packed (docs/SPEC.md), adapted to what the graph
// builder needs (packed bytes, their 2-D shape, the fp32 scale).
// 1-bit: Wb = sign(W - mean W) (sign(0) := +1), beta = mean|W|; [out, ceil(in/8)] bytes,
// LSB first along the input axis. Ternary (b1.58): 2 bits each (00 -> 0, 01 -> +1,
// 10 -> -1), 4 per byte LSB first, [out, ceil(in/4)]. Kernels are TF.js-layout [in, out].
import {
  BitLinearError,
  binaryBytesPerRow,
  packBinaryWeights,
  packTernaryWeights,
  ternaryBytesPerRow,
  ternaryCode,
  unpackBinaryWeights,
  unpackTernaryWeights,
} from '@ihc/bitlinear/packed';
import { OnnxError } from './errors';

export { TERNARY_EPS } from '@ihc/bitlinear/packed';

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

/** Runs a bitlinear packing call, turning its errors into OnnxError INVALID_MODEL. */
function asOnnx<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BitLinearError) throw new OnnxError('INVALID_MODEL', e.message, { cause: e });
    throw e;
  }
}

/** beta = mean|W| in float64, rounded to fp32. */
export function kernelScale(kernel: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < kernel.length; i++) s += Math.abs(kernel[i]);
  return Math.fround(s / kernel.length);
}

/** Binarise and pack a TF.js-layout kernel `[in, out]`. */
export function packSignKernel(kernel: ArrayLike<number>, inF: number, outF: number): PackedKernel {
  const p = asOnnx(() => packBinaryWeights(kernel, inF, outF));
  return { packed: p.bits, shape: [outF, binaryBytesPerRow(inF)], scale: p.beta, inFeatures: inF, outFeatures: outF, bits: 1 };
}

/** Ternary codes (-1, 0, +1) of a kernel, in the kernel's own `[in, out]` layout. */
export function ternaryCodes(kernel: ArrayLike<number>): Int8Array {
  const beta = kernelScale(kernel);
  return Int8Array.from(kernel as ArrayLike<number>, (w) => ternaryCode(w, beta));
}

/** Ternarise and pack a TF.js-layout kernel `[in, out]`, 2 bits per weight. */
export function packTernaryKernel(kernel: ArrayLike<number>, inF: number, outF: number): PackedKernel {
  const p = asOnnx(() => packTernaryWeights(kernel, inF, outF));
  return { packed: p.bits, shape: [outF, ternaryBytesPerRow(inF)], scale: p.beta, inFeatures: inF, outFeatures: outF, bits: 2 };
}

/** The de-quantised kernel `[in, out]` (values +-beta, or -beta/0/+beta) a packed kernel stands for. */
export function unpackKernel(p: PackedKernel): Float32Array {
  const shape: [number, number] = [p.outFeatures, p.inFeatures];
  return p.bits === 1
    ? unpackBinaryWeights({ kind: 'binary', bits: p.packed, beta: p.scale, shape })
    : unpackTernaryWeights({ kind: 'ternary', bits: p.packed, beta: p.scale, shape });
}
