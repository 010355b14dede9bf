import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import './gradients';
import { batchedMatMul3d, batchedMatMul4d, usesDepthwiseMatMul } from './attention-matmul';
import { batchMatMul, batchMatMulTransposeB } from './attention';
import { expectClose } from './test-setup';

// Not IS_TEST: under it the wasm backend's leak checker flags customGrads that save inputs.
tf.env().set('PROD', true);

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  });
}

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  expect(await tf.setBackend(name)).toBe(true);
  await tf.ready();
}

/** Plain-JS reference of op(a) @ op(b) for [C,.,.] arrays. */
function reference(a: tf.Tensor3D, b: tf.Tensor3D, ta: boolean, tb: boolean): Float32Array {
  const [c] = a.shape;
  const [m, k] = ta ? [a.shape[2], a.shape[1]] : [a.shape[1], a.shape[2]];
  const n = tb ? b.shape[1] : b.shape[2];
  const av = a.dataSync();
  const bv = b.dataSync();
  const out = new Float32Array(c * m * n);
  for (let ci = 0; ci < c; ci++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++) {
          const x = ta ? av[ci * k * m + kk * m + i] : av[ci * m * k + i * k + kk];
          const y = tb ? bv[ci * n * k + j * k + kk] : bv[ci * k * n + kk * n + j];
          s += x * y;
        }
        out[ci * m * n + i * n + j] = s;
      }
    }
  }
  return out;
}

describe.each(['cpu', 'wasm'] as const)('attention matmuls on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(() => useBackend('cpu'));

  it('picks the depthwise path exactly on wasm', () => {
    expect(usesDepthwiseMatMul()).toBe(backend === 'wasm');
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('batchedMatMul3d(transposeA %s, transposeB %s) equals the plain-JS product', (ta, tb) => {
    const [c, m, k, n] = [6, 5, 3, 4];
    const a = tf.tensor3d(values(c * m * k, 3), ta ? [c, k, m] : [c, m, k]);
    const b = tf.tensor3d(values(c * k * n, 5), tb ? [c, n, k] : [c, k, n]);
    const before = tf.memory().numTensors;
    const y = batchedMatMul3d(a, b, ta, tb);
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(y.shape).toEqual([c, m, n]);
    expectClose(y.dataSync(), reference(a, b, ta, tb), 1e-6);
    tf.dispose([a, b, y]);
  });

  it('batchedMatMul4d handles a [B,H] batch and a one-element inner dimension', () => {
    const a = tf.tensor4d(values(2 * 3 * 4 * 1, 7), [2, 3, 4, 1]);
    const b = tf.tensor4d(values(2 * 3 * 1 * 5, 9), [2, 3, 1, 5]);
    const y = batchedMatMul4d(a, b);
    const r = tf.matMul(a, b);
    expect(y.shape).toEqual([2, 3, 4, 5]);
    expectClose(y.dataSync(), r.dataSync(), 1e-6);
    tf.dispose([a, b, y, r]);
  });

  it.each([
    ['batchMatMul', false],
    ['batchMatMulTransposeB', true],
  ] as const)('%s equals tf.matMul in value and both gradients', (_, tb) => {
    const mm = tb ? batchMatMulTransposeB : batchMatMul;
    const a = tf.tensor4d(values(2 * 3 * 4 * 5, 7), [2, 3, 4, 5]);
    const b = tf.tensor4d(values(2 * 3 * 5 * 6, 9), tb ? [2, 3, 6, 5] : [2, 3, 5, 6]);
    const w = tf.tensor4d(values(2 * 3 * 4 * 6, 11), [2, 3, 4, 6]);
    const loss = (f: (x: tf.Tensor4D, y: tf.Tensor4D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(f(x as tf.Tensor4D, y as tf.Tensor4D), w));
    const [ga, gb] = tf.grads(loss(mm))([a, b]);
    const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x, y, false, tb)))([a, b]);
    const v = mm(a, b);
    const r = tf.matMul(a, b, false, tb);
    expectClose(v.dataSync(), r.dataSync(), 1e-6);
    expectClose(ga.dataSync(), ra.dataSync(), 1e-6);
    expectClose(gb.dataSync(), rb.dataSync(), 1e-6);
    tf.dispose([a, b, w, ga, gb, ra, rb, v, r]);
  });

  it('the check can fail: a swapped operand order is caught', () => {
    const a = tf.tensor3d(values(2 * 3 * 3, 3), [2, 3, 3]);
    const b = tf.tensor3d(values(2 * 3 * 3, 5), [2, 3, 3]);
    const y = batchedMatMul3d(b, a);
    expect(() => expectClose(y.dataSync(), reference(a, b, false, false), 1e-6)).toThrow();
    tf.dispose([a, b, y]);
  });
});
