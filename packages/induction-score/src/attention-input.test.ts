import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Tensor as OrtTensor } from 'onnxruntime-common';
import {
  readAttention,
  resolveValidation,
  validateAttention,
  formatPosition,
  type AttentionInput,
} from './attention-input';
import { buildAttention, thrown, uniformRow } from './test-fixtures';

const small = () => buildAttention({ batch: 2, heads: 3, length: 4 }, (_l, _b, _h, t) => uniformRow(t, 4));

function nest(data: ArrayLike<number>, shape: number[]): unknown {
  if (shape.length === 1) return Array.from(data);
  const [n, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(nest(Array.prototype.slice.call(data, i * size, (i + 1) * size), rest));
  return out;
}

describe('readAttention adapters', () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  it('uses a typed array in place (rank 4)', () => {
    const { data, shape } = small();
    const att = readAttention({ data, shape });
    expect(att.data).toBe(data);
    expect(att).toMatchObject({ layered: false, layers: 1, batch: 2, heads: 3, query: 4, key: 4, source: 'typed-array' });
  });

  it('reads rank-5 input with a layer axis and Float64Array data', () => {
    const data = new Float64Array(2 * 1 * 1 * 3 * 3);
    const att = readAttention({ data, shape: [2, 1, 1, 3, 3] });
    expect(att).toMatchObject({ layered: true, layers: 2, batch: 1, heads: 1, query: 3, key: 3 });
    expect(att.data).toBe(data);
  });

  it('converts a plain number array', () => {
    const att = readAttention({ data: [1, 0, 0.5, 0.5], shape: [1, 1, 2, 2] });
    expect(att.data).toBeInstanceOf(Float64Array);
    expect(Array.from(att.data)).toEqual([1, 0, 0.5, 0.5]);
  });

  it('reads nested arrays of rank 4 and 5', () => {
    const { data, shape } = small();
    const att4 = readAttention(nest(data, shape) as AttentionInput);
    expect(att4.source).toBe('nested-array');
    expect(att4).toMatchObject({ layered: false, batch: 2, heads: 3, query: 4, key: 4 });
    expect(Array.from(att4.data)).toEqual(Array.from(data));
    const att5 = readAttention(nest(data, [1, ...shape]) as AttentionInput);
    expect(att5).toMatchObject({ layered: true, layers: 1, batch: 2 });
    expect(Array.from(att5.data)).toEqual(Array.from(data));
  });

  it('reads a real TF.js tensor', () => {
    const { data, shape } = small();
    const t = tf.tensor(data, shape);
    const att = readAttention(t);
    expect(att.source).toBe('tfjs');
    expect(att).toMatchObject({ batch: 2, heads: 3, query: 4, key: 4 });
    expect(Array.from(att.data)).toEqual(Array.from(data));
    t.dispose();
  });

  it('rejects a non-float TF.js tensor', () => {
    const t = tf.zeros([1, 1, 2, 2], 'int32');
    const e = thrown(() => readAttention(t));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toMatch(/dtype "int32".*"float32"/);
    t.dispose();
  });

  it('reads a real onnxruntime tensor', () => {
    const { data, shape } = small();
    const t = new OrtTensor('float32', data, shape);
    const att = readAttention(t);
    expect(att.source).toBe('onnxruntime');
    expect(att.data).toBe(t.data);
    expect(att).toMatchObject({ batch: 2, heads: 3, query: 4, key: 4 });
  });

  it('rejects float16 and non-CPU onnxruntime tensors with a hint', () => {
    const half = new OrtTensor('float16', new Uint16Array(4), [1, 1, 2, 2]);
    const e = thrown(() => readAttention(half));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toMatch(/Uint16Array.*float16/);
    const gpu = { dims: [1, 1, 2, 2], type: 'float32', location: 'gpu-buffer', data: new Float32Array(4) };
    const g = thrown(() => readAttention(gpu));
    expect(g.code).toBe('BAD_VALUE');
    expect(g.message).toMatch(/"gpu-buffer".*getData/);
  });

  it.each([
    ['rank 3', { data: new Float32Array(8), shape: [2, 2, 2] }, /rank 3 .*expected rank 4/],
    ['rank 6', { data: new Float32Array(1), shape: [1, 1, 1, 1, 1, 1] }, /rank 6/],
    ['zero dim', { data: new Float32Array(0), shape: [0, 1, 2, 2] }, /batch = 0; expected a positive integer/],
    ['fractional dim', { data: new Float32Array(4), shape: [1, 1.5, 2, 2] }, /heads = 1.5/],
    ['missing shape array', { data: new Float32Array(4), shape: 4 }, /shape is 4; expected an array/],
    ['length mismatch', { data: new Float32Array(7), shape: [1, 1, 2, 4] }, /has 7 elements; shape \[1, 1, 2, 4\] needs 8/],
    ['ragged nested', [[[[1], [0.5, 0.5]]]], /ragged: element \[0\]\[0\]\[1\] is an array of length 2; expected an array of 1 \(key axis/],
    ['nested rank 3', [[[1]]], /rank 3/],
  ])('BAD_SHAPE: %s', (_name, input, message) => {
    const e = thrown(() => readAttention(input as unknown as AttentionInput));
    expect(e.name).toBe('InductionScoreError');
    expect(e.code).toBe('BAD_SHAPE');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['null', null, /attention is null/],
    ['a number', 3, /attention is 3/],
    ['an unknown object', { foo: 1 }, /without data\/shape/],
    ['Int32Array data', { data: new Int32Array(4), shape: [1, 1, 2, 2] }, /an Int32Array; expected a Float32Array or Float64Array/],
    ['a non-number nested leaf', [[[[1, '0']]]], /element \[0\]\[0\]\[0\]\[1\] is "0"; expected a number/],
  ])('BAD_VALUE: %s', (_name, input, message) => {
    const e = thrown(() => readAttention(input as unknown as AttentionInput));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toMatch(message);
  });
});

describe('validateAttention', () => {
  it('accepts softmax rows, masked zeros and float noise', () => {
    const { data, shape } = small();
    data[5] = 0.5 + 3e-6; // row (0,0,1) = [0.5, 0.5+3e-6, 0, 0]
    expect(() => validateAttention(readAttention({ data, shape }))).not.toThrow();
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [-0.1, '-0.1'],
    [1.5, '1.5'],
  ])('rejects %p naming its position', (value, shown) => {
    const { data, shape } = small();
    // batch 1, head 2, query 3, key 1
    data[((1 * 3 + 2) * 4 + 3) * 4 + 1] = value;
    const e = thrown(() => validateAttention(readAttention({ data, shape })));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toContain(`attention[batch 1, head 2, query 3, key 1] is ${shown}`);
    expect(e.message).toContain('expected a finite probability in [0, 1]');
  });

  it('finds bad values in rows whose sum looks right', () => {
    const row = (values: number[]) => readAttention({ data: new Float32Array(values), shape: [1, 1, 1, values.length] });
    // -0.25 and 1.25 cancel out in the sum
    const e = thrown(() => validateAttention(row([0, -0.25, 1.25, 0, 0])));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toContain('attention[batch 0, head 0, query 0, key 1] is -0.25');
    // a single value just above 1 passes the row-sum tolerance but not the value check
    const f = thrown(() => validateAttention(row([0, 1.0005, 0, 0, 0])));
    expect(f.code).toBe('BAD_VALUE');
    expect(f.message).toContain('key 1] is 1.000');
    // +Infinity and -Infinity make a NaN sum
    const g = thrown(() => validateAttention(row([0, 0, Infinity, -Infinity, 0])));
    expect(g.message).toContain('key 2] is Infinity');
    // tiny negative rounding noise is accepted
    expect(() => validateAttention(row([-1e-7, 0.5, 0.5 + 1e-7, 0, 0]))).not.toThrow();
    // a row just over 1 within the row-sum tolerance is accepted
    expect(() => validateAttention(row([0.5, 0.5004, 0, 0, 0]))).not.toThrow();
  });

  it('names the layer for rank-5 input', () => {
    const { data, shape } = buildAttention({ layers: 2, batch: 1, heads: 1, length: 2 }, (_l, _b, _h, t) => uniformRow(t, 2));
    data[4 + 2] = 2; // layer 1, query 1, key 0
    const e = thrown(() => validateAttention(readAttention({ data, shape })));
    expect(e.message).toContain('attention[layer 1, batch 0, head 0, query 1, key 0] is 2');
  });

  it('rejects rows that do not sum to one', () => {
    const { data, shape } = small();
    data[((0 * 3 + 1) * 4 + 2) * 4 + 0] -= 0.1; // batch 0, head 1, query 2
    const e = thrown(() => validateAttention(readAttention({ data, shape })));
    expect(e.code).toBe('BAD_ROW_SUM');
    expect(e.message).toMatch(/row \[batch 0, head 1, query 2\] sums to 0\.9; expected 1 ± 0\.001/);
    expect(e.message).toContain('at-most-one');
    // a looser tolerance accepts it
    expect(() => validateAttention(readAttention({ data, shape }), { tolerance: 0.2 })).not.toThrow();
  });

  it("rowSum 'at-most-one' accepts short rows and rejects long ones", () => {
    const { data, shape } = small();
    data[0] = 0.4; // row (0,0,0) sums to 0.4
    const att = readAttention({ data, shape });
    expect(() => validateAttention(att, { rowSum: 'at-most-one' })).not.toThrow();
    data[4] = 0.9; // row (0,0,1) = [0.9, 0.5, 0, 0] sums to 1.4
    const e = thrown(() => validateAttention(att, { rowSum: 'at-most-one' }));
    expect(e.code).toBe('BAD_ROW_SUM');
    expect(e.message).toMatch(/sums to 1\.4; expected at most 1 \+ 0\.001/);
  });

  it('formats positions', () => {
    const att = readAttention(small());
    expect(formatPosition(att, 0)).toBe('[batch 0, head 0, query 0, key 0]');
    expect(formatPosition(att, 2 * 3 * 16 - 1, false)).toBe('[batch 1, head 2, query 3]');
  });
});

describe('resolveValidation', () => {
  it('applies defaults', () => {
    expect(resolveValidation(undefined)).toEqual({ validate: true, rowSum: 'one', tolerance: 1e-3 });
  });
  it.each([
    [{ rowSum: 'two' }, /rowSum is "two"; expected "one" or "at-most-one"/],
    [{ tolerance: -1 }, /tolerance is -1/],
    [{ tolerance: Number.NaN }, /tolerance is NaN/],
    [{ validate: 'yes' }, /validate is "yes"/],
  ])('rejects %p', (options, message) => {
    const e = thrown(() => resolveValidation(options as never));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toMatch(message);
  });
});
