import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Tensor as OrtTensor } from 'onnxruntime-common';
import { inductionScores, type InductionScoreOptions } from './induction-scores';
import { buildAttention, copySentence, inductionRow, prng, thrown, uniformRow } from './test-fixtures';

const T = 29;
const B = 4;

function copyTaskFixture() {
  const rand = prng(11);
  const sentences = Array.from({ length: B }, () => copySentence(rand, T));
  const tokens = sentences.map((s) => s.tokens);
  // head 0: perfect induction; head 1: uniform causal
  const att = buildAttention({ batch: B, heads: 2, length: T }, (_l, b, h, t) =>
    h === 0 ? inductionRow(tokens[b], t, T) : uniformRow(t, T),
  );
  return {
    att,
    tokens,
    queryPos: sentences.map((s) => s.queryPos),
    keyPos: sentences.map((s) => s.keyPos),
  };
}

describe('inductionScores', () => {
  beforeAll(async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
  });

  it('scores a perfect induction head 1 under the target and token definitions', () => {
    const { att, tokens, queryPos, keyPos } = copyTaskFixture();
    const target = inductionScores(att, { definition: 'target', queryPos, keyPos });
    expect(target.definition).toBe('target');
    expect(target.shape).toEqual([2]);
    expect(target.scores).toBeInstanceOf(Float32Array);
    expect(target.scores[0]).toBeCloseTo(1, 6);
    expect(target.scores[1]).toBeCloseTo(1 / T, 6);
    expect(target.sampleCount).toBe(B);
    expect(target.perSample).toBeUndefined();
    const token = inductionScores(att, { definition: 'token', tokens });
    expect(token.scores[0]).toBeCloseTo(1, 6);
    expect(token.sampleCount).toBe(B);
  });

  it('gives the same result for typed arrays, nested arrays, TF.js and onnxruntime tensors', () => {
    const { att, tokens } = copyTaskFixture();
    const opts: InductionScoreOptions = { definition: 'token', tokens: Int32Array.from(tokens.flat()), perSample: true };
    const base = inductionScores(att, opts);
    const nested: number[][][][] = [];
    for (let b = 0; b < B; b++) {
      nested.push([]);
      for (let h = 0; h < 2; h++) {
        nested[b].push([]);
        for (let t = 0; t < T; t++) {
          const o = ((b * 2 + h) * T + t) * T;
          nested[b][h].push(Array.from(att.data.subarray(o, o + T)));
        }
      }
    }
    const tfTensor = tf.tensor4d(att.data, [B, 2, T, T]);
    const ortTensor = new OrtTensor('float32', att.data, att.shape);
    for (const input of [nested, tfTensor, ortTensor]) {
      const r = inductionScores(input, opts);
      expect(r.shape).toEqual(base.shape);
      Array.from(base.scores).forEach((v, i) => expect(r.scores[i]).toBeCloseTo(v, 6));
      Array.from(base.perSample!).forEach((v, i) => expect(r.perSample![i]).toBeCloseTo(v, 6));
    }
    tfTensor.dispose();
  });

  it('scores rank-5 input per layer, with per-sample values [layers, heads, batch]', () => {
    const tokens = [
      [1, 2, 1, 2],
      [3, 3, 3, 3],
    ];
    const att = buildAttention({ layers: 2, batch: 2, heads: 1, length: 4 }, (l, b, _h, t) =>
      l === 0 ? uniformRow(t, 4) : inductionRow(tokens[b], t, 4),
    );
    const r = inductionScores(att, { definition: 'token', tokens, perSample: true });
    expect(r.shape).toEqual([2, 1]);
    expect(r.perSampleShape).toEqual([2, 1, 2]);
    // layer 0, sample 0: t=2 -> j=1, t=3 -> j=2: (1/3 + 1/4) / 2
    // layer 0, sample 1: t=1 -> j=1; t=2 -> j=1,2; t=3 -> j=1,2,3: (1/2 + 2/3 + 3/4) / 3
    const s0 = (1 / 3 + 1 / 4) / 2;
    const s1 = (1 / 2 + 2 / 3 + 3 / 4) / 3;
    expect(r.perSample![0]).toBeCloseTo(s0, 6);
    expect(r.perSample![1]).toBeCloseTo(s1, 6);
    expect(r.scores[0]).toBeCloseTo((s0 + s1) / 2, 6);
    expect(r.perSample![2]).toBeCloseTo(1, 6);
    expect(r.perSample![3]).toBeCloseTo(1, 6);
    expect(r.scores[1]).toBeCloseTo(1, 6);
  });

  it('scores the stripe definition', () => {
    const att = buildAttention({ batch: 1, heads: 1, length: 6 }, (_l, _b, _h, t) => uniformRow(t, 6));
    const r = inductionScores(att, { definition: 'stripe', period: 3 });
    expect(r.definition).toBe('stripe');
    expect(r.scores[0]).toBeCloseTo((1 / 4 + 1 / 5 + 1 / 6) / 3, 6);
  });

  it('validates values unless validate is false', () => {
    const { att, queryPos, keyPos } = copyTaskFixture();
    att.data[5] = Number.NaN; // (batch 0, head 0, query 0, key 5): not read by the target score
    const e = thrown(() => inductionScores(att, { definition: 'target', queryPos, keyPos }));
    expect(e.code).toBe('BAD_VALUE');
    const r = inductionScores(att, { definition: 'target', queryPos, keyPos, validate: false });
    expect(r.scores[0]).toBeCloseTo(1, 6);
  });

  it('checks row sums with the rowSum and tolerance options', () => {
    const att = buildAttention({ batch: 1, heads: 1, length: 3 }, (_l, _b, _h, t) => {
      const r = uniformRow(t, 3);
      for (let k = 0; k <= t; k++) r[k] *= 0.8; // off-by-one softmax: rows sum to 0.8
      return r;
    });
    expect(thrown(() => inductionScores(att, { definition: 'stripe', period: 1 })).code).toBe('BAD_ROW_SUM');
    expect(inductionScores(att, { definition: 'stripe', period: 1, rowSum: 'at-most-one' }).scores[0]).toBeCloseTo(
      (0.8 / 2 + 0.8 / 3) / 2,
      6,
    );
    expect(() => inductionScores(att, { definition: 'stripe', period: 1, tolerance: 0.25 })).not.toThrow();
  });

  it('reports option errors before scanning values', () => {
    const { att } = copyTaskFixture();
    att.data[0] = Number.NaN;
    expect(thrown(() => inductionScores(att, { definition: 'target', queryPos: [0], keyPos: [0] })).code).toBe('BAD_SHAPE');
  });

  it.each([
    [null, /options is null; expected \{ definition/],
    [{ definition: 'exact' }, /definition is "exact"; expected one of "target", "token", "stripe"/],
    [{ definition: 'token' }, /tokens is undefined; the token definition needs tokens \[batch, query\] = \[4, 29\]/],
    [{ definition: 'stripe' }, /period is undefined/],
    [{ definition: 'target', keyPos: [0, 0, 0, 0] }, /queryPos is undefined/],
    [{ definition: 'stripe', period: 2, perSample: 1 }, /perSample is 1; expected true or false/],
    [{ definition: 'stripe', period: 2, rowSum: 'sum' }, /rowSum is "sum"/],
  ])('rejects options %p', (options, message) => {
    const { att } = copyTaskFixture();
    const e = thrown(() => inductionScores(att, options as never));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toMatch(message);
  });

  it('rejects tokens that do not match the query axis', () => {
    const { att, tokens } = copyTaskFixture();
    const e = thrown(() => inductionScores(att, { definition: 'token', tokens: tokens.map((t) => [...t, 0]) }));
    expect(e.code).toBe('BAD_SHAPE');
    expect(e.message).toMatch(/tokens\[0\] is an array of length 30; expected \[batch, query\] = \[4, 29\]/);
  });
});
