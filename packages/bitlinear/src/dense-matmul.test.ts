import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { BitLinearError } from './errors';
import { denseMatMul } from './dense-matmul';
import { expectClose, seededValues, useCpu } from './test-setup';

afterAll(useCpu);

function compareWithMatMul(): void {
  const x = tf.tensor3d(seededValues(2 * 3 * 5, 1), [2, 3, 5]);
  const k = tf.tensor2d(seededValues(5 * 4, 2), [5, 4]);
  const c = tf.tensor3d(seededValues(2 * 3 * 4, 3), [2, 3, 4]);
  const ours = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(denseMatMul(a, b), c));
  const ref = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.reshape(tf.matMul(tf.reshape(a, [6, 5]), b), [2, 3, 4]), c));
  expect(denseMatMul(x, k).shape).toEqual([2, 3, 4]);
  expectClose(denseMatMul(x, k).dataSync(), tf.reshape(tf.matMul(tf.reshape(x, [6, 5]), k), [2, 3, 4]).dataSync(), 1e-6);
  const [gx, gk] = tf.grads(ours)([x, k]);
  const [rx, rk] = tf.grads(ref)([x, k]);
  expectClose(gx.dataSync(), rx.dataSync(), 1e-5);
  expectClose(gk.dataSync(), rk.dataSync(), 1e-5);
}

function compareWithMatMulBias(): void {
  const x = tf.tensor3d(seededValues(2 * 3 * 5, 1), [2, 3, 5]);
  const k = tf.tensor2d(seededValues(5 * 4, 2), [5, 4]);
  const b = tf.tensor1d(seededValues(4, 4));
  const c = tf.tensor3d(seededValues(2 * 3 * 4, 3), [2, 3, 4]);
  const ours = (a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(denseMatMul(a, w, bb), c));
  const ref = (a: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
    tf.sum(tf.mul(tf.add(tf.reshape(tf.matMul(tf.reshape(a, [6, 5]), w), [2, 3, 4]), bb), c));
  const want = tf.add(tf.reshape(tf.matMul(tf.reshape(x, [6, 5]), k), [2, 3, 4]), b);
  expectClose(denseMatMul(x, k, b).dataSync(), want.dataSync(), 1e-6);
  const got = tf.grads(ours)([x, k, b]);
  const exp = tf.grads(ref)([x, k, b]);
  expect(got[2].shape).toEqual([4]);
  for (let i = 0; i < 3; i++) expectClose(got[i].dataSync(), exp[i].dataSync(), 1e-5);
  // the check can fail: the bias gradient is not all zeros here
  expect(Math.max(...Array.from(got[2].dataSync()).map(Math.abs))).toBeGreaterThan(0.1);
}

describe('denseMatMul', () => {
  it.each(['cpu', 'wasm'])('with a bias equals matMul + add and their gradients (%s)', async (backend) => {
    await tf.setBackend(backend);
    await tf.ready();
    compareWithMatMulBias();
    await useCpu();
  });

  it('rejects a bias of the wrong shape', async () => {
    await useCpu();
    expect(() => denseMatMul(tf.zeros([2, 3]), tf.zeros([3, 2]), tf.zeros([3]))).toThrow(/bias must have shape \[2\]/);
  });

  it('equals tf.matMul and its gradients (cpu)', async () => {
    await useCpu();
    compareWithMatMul();
  });

  it('equals tf.matMul and its gradients (wasm)', async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    expect(tf.getBackend()).toBe('wasm');
    compareWithMatMul();
  });

  it('handles rank-1 input', async () => {
    await useCpu();
    const y = denseMatMul(tf.tensor1d([1, 2]), tf.tensor2d([[1, 0, 2], [0, 1, 3]]));
    expect(y.shape).toEqual([3]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 8]);
  });

  it('rejects mismatched shapes', async () => {
    await useCpu();
    expect(() => denseMatMul(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(BitLinearError);
    expect(() => denseMatMul(tf.zeros([2, 3]), tf.zeros([4, 2]))).toThrow(/in-features 4.*\[2,3\]/);
    expect(() => denseMatMul(tf.zeros([2, 3]), tf.zeros([3]))).toThrow(/rank 2/);
  });
});
