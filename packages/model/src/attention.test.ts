import * as tf from '@tensorflow/tfjs-core';
import { attentionProbs, batchMatMul, causalAttention, causalMask, mergeHeads, offByOneSoftmax, splitHeads } from './attention';
import { expectClose, useCpu } from './test-setup';

beforeAll(useCpu);

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  });
}

describe('attention pieces', () => {
  it('causalMask is 0 on/below the diagonal and -Infinity above', () => {
    const m = causalMask(3);
    expect(Array.from(m.dataSync())).toEqual([0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0]);
    m.dispose();
  });

  it('splitHeads / mergeHeads: head h takes channels h*hd..(h+1)*hd-1, and they invert', () => {
    const x = tf.tensor3d(Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i), [2, 3, 4]);
    const h = splitHeads(x, 2);
    expect(h.shape).toEqual([2, 2, 3, 2]);
    // batch 0, head 1, position 2 -> channels 2,3 of x[0,2,:] = 10, 11
    expect(Array.from(h.arraySync()[0][1][2])).toEqual([10, 11]);
    const back = mergeHeads(h);
    expect(Array.from(back.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, h, back]);
  });

  it('batchMatMul equals tf.matMul in value and gradient', () => {
    const a = tf.tensor4d(values(2 * 3 * 4 * 5, 7), [2, 3, 4, 5]);
    const b = tf.tensor4d(values(2 * 3 * 5 * 6, 9), [2, 3, 5, 6]);
    const w = tf.tensor4d(values(2 * 3 * 4 * 6, 11), [2, 3, 4, 6]);
    const loss = (mm: (x: tf.Tensor4D, y: tf.Tensor4D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(mm(x as tf.Tensor4D, y as tf.Tensor4D), w));
    const [ga, gb] = tf.grads(loss(batchMatMul))([a, b]);
    const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
    const v = batchMatMul(a, b);
    const r = tf.matMul(a, b);
    expectClose(v.dataSync(), r.dataSync(), 1e-6);
    expectClose(ga.dataSync(), ra.dataSync(), 1e-6);
    expectClose(gb.dataSync(), rb.dataSync(), 1e-6);
    tf.dispose([a, b, w, ga, gb, ra, rb, v, r]);
  });

  it('offByOneSoftmax = exp(s) / (1 + sum exp(s)), stable for large scores, 0 on -Infinity', () => {
    const s = tf.tensor2d([[0.5, -1, 2], [1000, 999, -Infinity], [-1000, -Infinity, -Infinity]]);
    const p = offByOneSoftmax(s).arraySync() as number[][];
    const e = [Math.exp(0.5), Math.exp(-1), Math.exp(2)];
    const den = 1 + e[0] + e[1] + e[2];
    expectClose(p[0], e.map((x) => x / den), 1e-6);
    // huge scores: behaves like a softmax (the +1 is negligible)
    const e2 = [1, Math.exp(-1)];
    expectClose(p[1], [e2[0] / (e2[0] + e2[1]), e2[1] / (e2[0] + e2[1]), 0], 1e-6);
    // very negative: nearly all mass on the implicit zero logit
    expect(p[2]).toEqual([0, 0, 0]);
    s.dispose();
  });

  it('offByOneSoftmax has finite gradients equal to the direct formula', () => {
    const s = tf.tensor2d(values(12, 3).map((x) => x * 4), [3, 4]);
    const w = tf.tensor2d(values(12, 5), [3, 4]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(offByOneSoftmax(x), w)))(s);
    const direct = tf.grad((x: tf.Tensor) => {
      const e = tf.exp(x);
      return tf.sum(tf.mul(tf.div(e, tf.add(1, tf.sum(e, -1, true))), w));
    })(s);
    expectClose(g.dataSync(), direct.dataSync(), 1e-5);
    tf.dispose([s, w, g, direct]);
  });

  it('attentionProbs dispatches on the softmax mode', () => {
    const s = tf.tensor2d([[1, 2, 3]]);
    const v = attentionProbs(s, 'vanilla');
    const o = attentionProbs(s, 'off-by-one');
    const sv = tf.sum(v);
    const so = tf.sum(o);
    expect(sv.dataSync()[0]).toBeCloseTo(1, 6);
    expect(so.dataSync()[0]).toBeLessThan(1);
    tf.dispose([s, v, o, sv, so]);
  });

  it('causalAttention: shapes, causality, no NaN in the backward pass through -Infinity, no leaks', () => {
    const before = tf.memory().numTensors;
    const q = tf.tensor3d(values(2 * 4 * 6, 1), [2, 4, 6]);
    const k = tf.tensor3d(values(2 * 4 * 6, 2), [2, 4, 6]);
    const v = tf.tensor3d(values(2 * 4 * 6, 3), [2, 4, 6]);
    for (const mode of ['vanilla', 'off-by-one'] as const) {
      const { output, probs } = causalAttention(q, k, v, 3, mode);
      expect(output.shape).toEqual([2, 4, 6]);
      expect(probs.shape).toEqual([2, 3, 4, 4]);
      const p = probs.arraySync();
      expect(p[1][2][0][1]).toBe(0);
      expect(p[1][2][0][0]).toBe(mode === 'vanilla' ? 1 : p[1][2][0][0]);
      // first output row is v's first row (vanilla: all attention on key 0)
      if (mode === 'vanilla') expectClose(output.arraySync()[0][0], Array.from(v.arraySync()[0][0]), 1e-6);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.square(causalAttention(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, 3, mode).output)),
      )([q, k, v]);
      for (const g of grads) expect(g.dataSync().every(Number.isFinite)).toBe(true);
      tf.dispose([output, probs, ...grads]);
    }
    tf.dispose([q, k, v]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
