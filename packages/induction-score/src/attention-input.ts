import { InductionScoreError, describeValue } from './errors';

/** Element storage accepted for attention probabilities. */
export type AttentionData = Float32Array | Float64Array;

/** A flat, row-major typed array and its shape. */
export interface AttentionArray {
  readonly data: Float32Array | Float64Array | readonly number[];
  readonly shape: ArrayLike<number>;
}

/** Anything shaped like a TF.js tensor: `shape` plus a synchronous `dataSync()`. */
export interface TfjsTensorLike {
  readonly shape: readonly number[];
  readonly dtype?: string;
  dataSync(): unknown;
}

/** Anything shaped like an onnxruntime tensor: `dims` plus CPU `data`. */
export interface OnnxTensorLike {
  readonly dims: readonly number[];
  readonly type?: string;
  readonly location?: string;
  readonly data: unknown;
}

/** Nested arrays `[batch][heads][query][key]`. */
export type NestedAttention4 = readonly (readonly (readonly (readonly number[])[])[])[];
/** Nested arrays `[layers][batch][heads][query][key]`. */
export type NestedAttention5 = readonly NestedAttention4[];

/**
 * Attention probabilities, rank 4 `[batch, heads, query, key]` or rank 5
 * `[layers, batch, heads, query, key]`, in any of the supported containers.
 */
export type AttentionInput =
  | AttentionArray
  | TfjsTensorLike
  | OnnxTensorLike
  | NestedAttention4
  | NestedAttention5;

/** Which adapter read the input. */
export type AttentionSource = 'typed-array' | 'nested-array' | 'tfjs' | 'onnxruntime';

/** Attention normalised to one flat array `[layers, batch, heads, query, key]`. */
export interface AttentionTensor {
  readonly data: AttentionData;
  /** True for rank-5 input (results keep a leading layer axis). */
  readonly layered: boolean;
  /** 1 for rank-4 input. */
  readonly layers: number;
  readonly batch: number;
  readonly heads: number;
  readonly query: number;
  readonly key: number;
  readonly source: AttentionSource;
}

/** How rows of the attention pattern must sum. */
export type RowSumMode = 'one' | 'at-most-one';

/** Options shared by every scoring function. */
export interface ValidationOptions {
  /** Check values and row sums (one pass over the data). Default true. */
  validate?: boolean;
  /** `'one'` (softmax, default) or `'at-most-one'` (off-by-one softmax). */
  rowSum?: RowSumMode;
  /** Allowed row-sum error, default 1e-3. */
  tolerance?: number;
}

/** Values may leave [0, 1] by at most this much (float rounding). */
export const VALUE_TOLERANCE = 1e-5;
/** Default row-sum tolerance. */
export const DEFAULT_TOLERANCE = 1e-3;

const AXES_4 = ['batch', 'heads', 'query', 'key'];
const AXES_5 = ['layers', 'batch', 'heads', 'query', 'key'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readShape(shape: unknown, what: string): number[] {
  if (!Array.isArray(shape) && !ArrayBuffer.isView(shape)) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `${what} shape is ${describeValue(shape)}; expected an array of 4 or 5 dimensions ` +
        `([${AXES_4.join(', ')}] or [${AXES_5.join(', ')}])`,
    );
  }
  const dims = Array.from(shape as ArrayLike<number>, Number);
  if (dims.length !== 4 && dims.length !== 5) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `${what} has rank ${dims.length} (shape [${dims.join(', ')}]); expected rank 4 ` +
        `[${AXES_4.join(', ')}] or rank 5 [${AXES_5.join(', ')}]`,
    );
  }
  const axes = dims.length === 4 ? AXES_4 : AXES_5;
  dims.forEach((d, i) => {
    if (!Number.isSafeInteger(d) || d < 1) {
      throw new InductionScoreError(
        'BAD_SHAPE',
        `${what} shape [${dims.join(', ')}] has ${axes[i]} = ${d}; expected a positive integer`,
      );
    }
  });
  return dims;
}

function readData(data: unknown, what: string, hint = ''): AttentionData {
  if (data instanceof Float32Array || data instanceof Float64Array) return data;
  if (Array.isArray(data)) return Float64Array.from(data as number[]);
  throw new InductionScoreError(
    'BAD_VALUE',
    `${what} data is ${describeValue(data)}; expected a Float32Array or Float64Array of ` +
      `attention probabilities${hint}`,
  );
}

function build(
  data: AttentionData,
  dims: number[],
  source: AttentionSource,
  what: string,
): AttentionTensor {
  const layered = dims.length === 5;
  const [layers, batch, heads, query, key] = layered ? dims : [1, ...dims];
  const expected = layers * batch * heads * query * key;
  if (data.length !== expected) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `${what} data has ${data.length} elements; shape [${dims.join(', ')}] needs ${expected}`,
    );
  }
  return { data, layered, layers, batch, heads, query, key, source };
}

function nestedRank(value: unknown): number {
  let rank = 0;
  let cur: unknown = value;
  while (Array.isArray(cur)) {
    rank++;
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return rank;
}

function readNested(input: readonly unknown[]): AttentionTensor {
  const rank = nestedRank(input);
  const dims: number[] = [];
  let cur: unknown = input;
  for (let i = 0; i < rank; i++) {
    dims.push((cur as unknown[]).length);
    cur = (cur as unknown[])[0];
  }
  const shape = readShape(dims, 'nested-array attention');
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  const axes = rank === 4 ? AXES_4 : AXES_5;
  let offset = 0;
  const path: number[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new InductionScoreError(
        'BAD_SHAPE',
        `nested-array attention is ragged: element [${path.join('][')}] is ` +
          `${describeValue(node)}; expected an array of ${shape[depth]} (${axes[depth]} axis, ` +
          `shape [${shape.join(', ')}])`,
      );
    }
    if (depth === rank - 1) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v !== 'number') {
          throw new InductionScoreError(
            'BAD_VALUE',
            `nested-array attention element [${[...path, i].join('][')}] is ` +
              `${describeValue(v)}; expected a number`,
          );
        }
        out[offset++] = v;
      }
      return;
    }
    for (let i = 0; i < node.length; i++) {
      path.push(i);
      walk(node[i], depth + 1);
      path.pop();
    }
  };
  walk(input, 0);
  return build(out, shape, 'nested-array', 'nested-array attention');
}

/**
 * Reads attention in any supported container and returns one flat view of it.
 * Typed arrays are used in place (no copy); nested arrays are copied into a
 * Float64Array. The container is recognised by shape: arrays are nested input,
 * `shape` + `dataSync()` a TF.js tensor, `dims` + `data` an onnxruntime tensor,
 * `data` + `shape` a typed array with its shape.
 */
export function readAttention(input: AttentionInput): AttentionTensor {
  if (Array.isArray(input)) return readNested(input);
  if (!isObject(input)) {
    throw new InductionScoreError(
      'BAD_VALUE',
      `attention is ${describeValue(input)}; expected { data, shape }, nested arrays, ` +
        `a TF.js tensor or an onnxruntime tensor`,
    );
  }
  if (typeof input.dataSync === 'function' && 'shape' in input) {
    const t = input as unknown as TfjsTensorLike;
    const dims = readShape(t.shape, 'TF.js attention tensor');
    if (t.dtype !== undefined && t.dtype !== 'float32') {
      throw new InductionScoreError(
        'BAD_VALUE',
        `TF.js attention tensor has dtype ${describeValue(t.dtype)}; expected "float32"`,
      );
    }
    return build(readData(t.dataSync(), 'TF.js attention tensor'), dims, 'tfjs', 'TF.js attention tensor');
  }
  if ('dims' in input && 'data' in input) {
    const t = input as unknown as OnnxTensorLike;
    const dims = readShape(t.dims, 'onnxruntime attention tensor');
    if (t.location !== undefined && t.location !== 'cpu' && t.location !== 'cpu-pinned') {
      throw new InductionScoreError(
        'BAD_VALUE',
        `onnxruntime attention tensor is on location ${describeValue(t.location)}; expected ` +
          `"cpu" (download it first with await tensor.getData())`,
      );
    }
    const hint =
      t.type === 'float16' ? ' (got float16: cast the attention output to float32)' : '';
    return build(
      readData(t.data, 'onnxruntime attention tensor', hint),
      dims,
      'onnxruntime',
      'onnxruntime attention tensor',
    );
  }
  if ('data' in input && 'shape' in input) {
    const dims = readShape(input.shape, 'attention');
    return build(readData(input.data, 'attention'), dims, 'typed-array', 'attention');
  }
  throw new InductionScoreError(
    'BAD_VALUE',
    `attention is an object without data/shape, dataSync/shape or data/dims; expected ` +
      `{ data, shape }, nested arrays, a TF.js tensor or an onnxruntime tensor`,
  );
}

/** Resolved validation options, defaults applied and checked. */
export interface ResolvedValidation {
  validate: boolean;
  rowSum: RowSumMode;
  tolerance: number;
}

/** Applies defaults to and checks `validate`, `rowSum` and `tolerance`. */
export function resolveValidation(options: ValidationOptions | undefined): ResolvedValidation {
  const validate = options?.validate ?? true;
  const rowSum = options?.rowSum ?? 'one';
  const tolerance = options?.tolerance ?? DEFAULT_TOLERANCE;
  if (typeof validate !== 'boolean') {
    throw new InductionScoreError(
      'BAD_OPTION',
      `validate is ${describeValue(validate)}; expected true or false`,
    );
  }
  if (rowSum !== 'one' && rowSum !== 'at-most-one') {
    throw new InductionScoreError(
      'BAD_OPTION',
      `rowSum is ${describeValue(rowSum)}; expected "one" or "at-most-one"`,
    );
  }
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `tolerance is ${describeValue(tolerance)}; expected a finite number >= 0 (default ${DEFAULT_TOLERANCE})`,
    );
  }
  return { validate, rowSum, tolerance };
}

/** Human-readable position of a flat element index, e.g. `[batch 2, head 1, query 4, key 3]`. */
export function formatPosition(att: AttentionTensor, index: number, withKey = true): string {
  let rest = index;
  const k = rest % att.key;
  rest = (rest - k) / att.key;
  const q = rest % att.query;
  rest = (rest - q) / att.query;
  const h = rest % att.heads;
  rest = (rest - h) / att.heads;
  const b = rest % att.batch;
  const l = (rest - b) / att.batch;
  const parts = [`batch ${b}`, `head ${h}`, `query ${q}`];
  if (att.layered) parts.unshift(`layer ${l}`);
  if (withKey) parts.push(`key ${k}`);
  return `[${parts.join(', ')}]`;
}

function describeNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return String(v);
}

function rowSumExpectation(rowSum: RowSumMode, tolerance: number): string {
  return rowSum === 'one'
    ? `1 ± ${tolerance} (rowSum "one"; use rowSum "at-most-one" for off-by-one softmax)`
    : `at most 1 + ${tolerance} (rowSum "at-most-one")`;
}

/** Exact check of one row (the fast pass sends only suspicious rows here). */
function checkRow(
  att: AttentionTensor,
  start: number,
  rowSum: RowSumMode,
  tolerance: number,
): void {
  const data = att.data;
  const end = start + att.key;
  let s = 0;
  for (let i = start; i < end; i++) {
    const v = data[i];
    if (!(v >= -VALUE_TOLERANCE && v <= 1 + VALUE_TOLERANCE)) {
      throw new InductionScoreError(
        'BAD_VALUE',
        `attention${formatPosition(att, i)} is ${describeNumber(v)}; expected a finite ` +
          `probability in [0, 1] (pass softmax outputs, not scores or logits)`,
      );
    }
    s += v;
  }
  const lo = rowSum === 'one' ? 1 - tolerance : -Infinity;
  if (!(s >= lo && s <= 1 + tolerance)) {
    throw new InductionScoreError(
      'BAD_ROW_SUM',
      `attention row ${formatPosition(att, start, false)} sums to ${Number(s.toPrecision(7))}; ` +
        `expected ${rowSumExpectation(rowSum, tolerance)}`,
    );
  }
}

/**
 * Checks every value (finite, within [0, 1] up to {@link VALUE_TOLERANCE}) and every
 * row sum (over the whole key axis: 1 ± tolerance, or at most 1 + tolerance for
 * `'at-most-one'`) in one pass. Masked (future) entries of a causal pattern are
 * zeros and count like any other value.
 *
 * The pass only sums each row twice (values and absolute values, four lanes each):
 * a row whose two sums are equal has no negative value, and if that sum is within
 * the row-sum bounds and at most 1 + VALUE_TOLERANCE, no value can exceed it
 * either; NaN and infinities make the sum fail the bounds. Any other row is
 * re-checked value by value, which names the first bad value exactly.
 */
export function validateAttention(att: AttentionTensor, options?: ValidationOptions): void {
  const { rowSum, tolerance } = resolveValidation(options);
  const data = att.data;
  const K = att.key;
  const rows = att.layers * att.batch * att.heads * att.query;
  const fastLo = rowSum === 'one' ? 1 - tolerance : 0;
  const fastHi = Math.min(1 + tolerance, 1 + VALUE_TOLERANCE);
  let i = 0;
  for (let r = 0; r < rows; r++) {
    const start = i;
    const end = i + K;
    const end4 = end - 3;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (; i < end4; i += 4) {
      const v0 = data[i];
      const v1 = data[i + 1];
      const v2 = data[i + 2];
      const v3 = data[i + 3];
      s0 += v0;
      s1 += v1;
      s2 += v2;
      s3 += v3;
      a0 += Math.abs(v0);
      a1 += Math.abs(v1);
      a2 += Math.abs(v2);
      a3 += Math.abs(v3);
    }
    for (; i < end; i++) {
      const v = data[i];
      s0 += v;
      a0 += Math.abs(v);
    }
    const s = s0 + s1 + (s2 + s3);
    const a = a0 + a1 + (a2 + a3);
    if (!(s >= fastLo && s <= fastHi && a === s)) checkRow(att, start, rowSum, tolerance);
  }
}
