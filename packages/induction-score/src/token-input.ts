import { InductionScoreError, describeValue } from './errors';

/**
 * Input tokens at each query/key position, `[batch, query]`: a flat row-major
 * Int32Array (or number array), or one array per sample.
 */
export type TokenInput = Int32Array | readonly number[] | readonly (readonly number[])[];

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function badToken(where: string, value: unknown): InductionScoreError {
  return new InductionScoreError(
    'BAD_VALUE',
    `tokens${where} is ${describeValue(value)}; expected an integer token id`,
  );
}

function isInt32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

/**
 * Reads tokens for `batch` samples of `length` positions into a flat Int32Array
 * (an Int32Array of the right length is used in place).
 */
export function readTokens(tokens: unknown, batch: number, length: number): Int32Array {
  const expected = batch * length;
  const shapeHint =
    `expected [batch, query] = [${batch}, ${length}] (the input tokens at the attention's ` +
    `query/key positions, e.g. copy-task inputs, not the full sentences)`;
  if (tokens instanceof Int32Array) {
    if (tokens.length !== expected) {
      throw new InductionScoreError(
        'BAD_SHAPE',
        `tokens has ${tokens.length} entries; ${shapeHint}, i.e. ${expected} entries`,
      );
    }
    return tokens;
  }
  const isArrayLike = Array.isArray(tokens) || ArrayBuffer.isView(tokens);
  if (!isArrayLike || tokens instanceof DataView) {
    throw new InductionScoreError(
      'BAD_VALUE',
      `tokens is ${describeValue(tokens)}; expected an Int32Array or number[][]; ${shapeHint}`,
    );
  }
  const list = tokens as ArrayLike<unknown>;
  const out = new Int32Array(expected);
  if (list.length > 0 && Array.isArray(list[0])) {
    if (list.length !== batch) {
      throw new InductionScoreError(
        'BAD_SHAPE',
        `tokens has ${list.length} rows; ${shapeHint}`,
      );
    }
    for (let b = 0; b < batch; b++) {
      const row = list[b];
      if (!Array.isArray(row) || row.length !== length) {
        throw new InductionScoreError(
          'BAD_SHAPE',
          `tokens[${b}] is ${describeValue(row)}; ${shapeHint}`,
        );
      }
      for (let t = 0; t < length; t++) {
        const v: unknown = row[t];
        if (!isInt32(v)) throw badToken(`[${b}][${t}]`, v);
        out[b * length + t] = v;
      }
    }
    return out;
  }
  if (list.length !== expected) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `tokens has ${list.length} entries; ${shapeHint}, i.e. ${expected} entries`,
    );
  }
  for (let i = 0; i < expected; i++) {
    const v = list[i];
    if (!isInt32(v)) throw badToken(`[${i}]`, v);
    out[i] = v;
  }
  return out;
}
