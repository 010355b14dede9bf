import { BitLinearError, describeValue } from './errors';

/** Throws unless inFeatures / outFeatures are positive integers and `length` is their product. */
export function checkPackDims(what: string, length: number, inFeatures: number, outFeatures: number): void {
  for (const [name, v] of [
    ['inFeatures', inFeatures],
    ['outFeatures', outFeatures],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new BitLinearError('INVALID_OPTION', `${what}: ${name} must be a positive integer; got ${describeValue(v)}`);
    }
  }
  if (length !== inFeatures * outFeatures) {
    throw new BitLinearError(
      'BAD_SHAPE',
      `${what}: expected ${inFeatures * outFeatures} values (row-major [in ${inFeatures}, out ${outFeatures}]); got ${length}`,
    );
  }
}

/** Throws unless a packed buffer has exactly `outFeatures * bytesPerRow` bytes. */
export function checkPackedLength(what: string, bits: Uint8Array, outFeatures: number, bytesPerRow: number): void {
  if (!(bits instanceof Uint8Array) || bits.length !== outFeatures * bytesPerRow) {
    throw new BitLinearError(
      'BAD_SHAPE',
      `${what}: expected a Uint8Array of ${outFeatures * bytesPerRow} bytes ([out ${outFeatures}, ${bytesPerRow}]); got ${
        bits instanceof Uint8Array ? `${bits.length} bytes` : describeValue(bits)
      }`,
    );
  }
}

/** mean(|w|) rounded to float32, as TF.js's float32 `mean(abs(W))`. */
export function meanAbs(w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.abs(w[i]);
  return Math.fround(s / w.length);
}

/** mean(w) rounded to float32. */
export function mean(w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i];
  return Math.fround(s / w.length);
}
