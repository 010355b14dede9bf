import {
  ACTIVATION_BITS,
  ACTIVATION_EPS,
  ACTIVATION_QMAX,
  ACTIVATION_QMIN,
  ACTIVATION_SCALINGS,
  LAYER_NORM_EPS,
} from './constants';
import type { ActivationScaling } from './constants';
import { BitLinearError, checkOneOf, describeValue } from './errors';
import { binaryBytesPerRow } from './pack-binary';
import type { PackedBinaryWeights } from './pack-binary';
import { ternaryBytesPerRow } from './pack-ternary';
import type { PackedTernaryWeights } from './pack-ternary';
import { roundHalfEven } from './round';

export type PackedWeights = PackedBinaryWeights | PackedTernaryWeights;

export interface PackedMatMulOptions {
  /** 8 (default): absmax 8-bit activations; null: full-precision activations. */
  activationBits?: 8 | null;
  /** gamma per row ('per-token', default) or over all rows of x ('per-tensor'). */
  scaling?: ActivationScaling;
  /** LayerNorm each row first (default true, as bitLinear). */
  layerNorm?: boolean;
  /** LayerNorm epsilon, default 1e-5. */
  eps?: number;
  /** Optional LayerNorm gain / bias [in]. */
  lnGain?: ArrayLike<number>;
  lnBias?: ArrayLike<number>;
  /** Optional output bias [out]. */
  bias?: ArrayLike<number>;
}

function checkLength(name: string, a: ArrayLike<number> | undefined, n: number): void {
  if (a !== undefined && a.length !== n) {
    throw new BitLinearError('BAD_SHAPE', `${name} must have length ${n}; got ${a.length}`);
  }
}

function checkPacked(packed: PackedWeights): [number, number, number] {
  const kind = checkOneOf('packed.kind', packed?.kind, ['binary', 'ternary']);
  const [outF, inF] = packed.shape ?? [];
  if (!Number.isInteger(outF) || !Number.isInteger(inF) || outF < 1 || inF < 1) {
    throw new BitLinearError('BAD_SHAPE', `packed.shape must be [out, in] positive integers; got ${describeValue(packed.shape)}`);
  }
  const bpr = kind === 'binary' ? binaryBytesPerRow(inF) : ternaryBytesPerRow(inF);
  if (!(packed.bits instanceof Uint8Array) || packed.bits.length !== outF * bpr) {
    throw new BitLinearError('BAD_SHAPE', `packed.bits must be a Uint8Array of ${outF * bpr} bytes for shape [${outF}, ${inF}]`);
  }
  if (typeof packed.beta !== 'number' || !Number.isFinite(packed.beta)) {
    throw new BitLinearError('BAD_VALUE', `packed.beta must be a finite number; got ${describeValue(packed.beta)}`);
  }
  return [outF, inF, bpr];
}

/** LayerNorm over rows of length `inF` (float32 results), in place into `out`. */
function layerNormRows(
  x: ArrayLike<number>,
  rows: number,
  inF: number,
  eps: number,
  gain: ArrayLike<number> | undefined,
  bias: ArrayLike<number> | undefined,
  out: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * inF;
    let s = 0;
    for (let i = 0; i < inF; i++) s += x[o + i];
    const m = Math.fround(s / inF);
    let v = 0;
    for (let i = 0; i < inF; i++) {
      const d = Math.fround(x[o + i] - m);
      v += d * d;
    }
    const rstd = Math.fround(1 / Math.sqrt(Math.fround(Math.fround(v / inF) + eps)));
    for (let i = 0; i < inF; i++) {
      let y = Math.fround(Math.fround(x[o + i] - m) * rstd);
      if (gain) y = Math.fround(y * gain[i]);
      if (bias) y = Math.fround(y + bias[i]);
      out[o + i] = y;
    }
  }
}

function absMax(a: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}

/**
 * Plain-TypeScript BitLinear forward on packed weights (no TF.js), equal to
 * `bitLinear(x, kernel, bias, { weightBits, activationBits, activationScaling })` up to
 * float32 rounding: `x [rows, in]` row-major -> `[rows, out]`.
 *
 * With 8-bit activations it works integer-style: levels `q = clip(round(h * 127 /
 * gamma), -128, 127)` (round half to even, float32 steps as in TF.js), accumulates
 * `q @ W_codes` exactly, then multiplies by `beta * gamma / 127` and adds the bias.
 */
export function packedMatMul(x: ArrayLike<number>, packed: PackedWeights, options: PackedMatMulOptions = {}): Float32Array {
  const [outF, inF, bpr] = checkPacked(packed);
  if (x.length % inF !== 0 || x.length === 0) {
    throw new BitLinearError(
      'BAD_SHAPE',
      `x must hold whole rows of in-features ${inF} (row-major [rows, ${inF}]); got ${x.length} values`,
    );
  }
  const rows = x.length / inF;
  const activationBits =
    options.activationBits === null ? null : (checkOneOf('activationBits', options.activationBits ?? 8, [...ACTIVATION_BITS, null]) as 8);
  const scaling = checkOneOf('scaling', options.scaling ?? 'per-token', ACTIVATION_SCALINGS);
  const useLn = checkOneOf('layerNorm', options.layerNorm ?? true, [true, false]);
  const eps = options.eps ?? LAYER_NORM_EPS;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new BitLinearError('INVALID_OPTION', `eps must be a finite number > 0 (e.g. 1e-5); got ${describeValue(eps)}`);
  }
  checkLength('lnGain', options.lnGain, inF);
  checkLength('lnBias', options.lnBias, inF);
  checkLength('bias', options.bias, outF);

  const h = new Float32Array(x.length);
  if (useLn) layerNormRows(x, rows, inF, Math.fround(eps), options.lnGain, options.lnBias, h);
  else h.set(x);

  // Per-row activation values to multiply with the codes, and the per-row rescale.
  const a = h; // quantised in place to integer levels when activationBits is 8
  const rowScale = new Float64Array(rows);
  const beta = Math.fround(packed.beta);
  if (activationBits === null) {
    rowScale.fill(beta);
  } else {
    const tensorGamma = scaling === 'per-tensor' ? Math.max(absMax(h, 0, h.length), ACTIVATION_EPS) : 0;
    for (let r = 0; r < rows; r++) {
      const gamma = Math.fround(
        scaling === 'per-tensor' ? tensorGamma : Math.max(absMax(h, r * inF, (r + 1) * inF), ACTIVATION_EPS),
      );
      const s = Math.fround(ACTIVATION_QMAX / gamma);
      for (let i = r * inF; i < (r + 1) * inF; i++) {
        const q = roundHalfEven(Math.fround(h[i] * s));
        a[i] = Math.min(ACTIVATION_QMAX, Math.max(ACTIVATION_QMIN, q));
      }
      rowScale[r] = Math.fround(gamma / ACTIVATION_QMAX) * beta;
    }
  }

  const out = new Float32Array(rows * outF);
  const bits = packed.bits;
  // Padding bits past the last input are ignored (masked), whatever they hold.
  const binaryLastMask = inF % 8 === 0 ? 0xff : (1 << (inF % 8)) - 1;
  const ternaryLastMask = inF % 4 === 0 ? 0xff : (1 << (2 * (inF % 4))) - 1;
  for (let r = 0; r < rows; r++) {
    const base = r * inF;
    if (packed.kind === 'binary') {
      let total = 0;
      for (let i = 0; i < inF; i++) total += a[base + i];
      for (let o = 0; o < outF; o++) {
        // sum_i a_i * (2 b_i - 1) = 2 * sum_{b_i = 1} a_i - sum_i a_i
        let pos = 0;
        const rowBits = o * bpr;
        for (let byte = 0; byte < bpr; byte++) {
          let v = bits[rowBits + byte];
          if (byte === bpr - 1) v &= binaryLastMask;
          const i0 = base + byte * 8;
          while (v !== 0) {
            const k = 31 - Math.clz32(v & -v); // lowest set bit
            pos += a[i0 + k];
            v &= v - 1;
          }
        }
        out[r * outF + o] = (2 * pos - total) * rowScale[r] + (options.bias ? options.bias[o] : 0);
      }
    } else {
      for (let o = 0; o < outF; o++) {
        let acc = 0;
        const rowBits = o * bpr;
        for (let byte = 0; byte < bpr; byte++) {
          const v = byte === bpr - 1 ? bits[rowBits + byte] & ternaryLastMask : bits[rowBits + byte];
          if (v === 0) continue;
          const i0 = base + byte * 4;
          for (let k = 0; k < 4; k++) {
            const c = (v >> (2 * k)) & 3;
            if (c === 1) acc += a[i0 + k];
            else if (c === 2) acc -= a[i0 + k];
          }
        }
        out[r * outF + o] = acc * rowScale[r] + (options.bias ? options.bias[o] : 0);
      }
    }
  }
  return out;
}

/** `packedMatMul` for one input vector `x [in] -> [out]`. */
export function packedMatVec(x: ArrayLike<number>, packed: PackedWeights, options: PackedMatMulOptions = {}): Float32Array {
  const inF = packed?.shape?.[1];
  if (x.length !== inF) {
    throw new BitLinearError('BAD_SHAPE', `x must have length in-features ${describeValue(inF)}; got ${x.length}`);
  }
  return packedMatMul(x, packed, options);
}
