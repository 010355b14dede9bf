import * as tf from '@tensorflow/tfjs-core';
import { expectClose, useCpu } from './test-setup';
import { steQuantize, stopGradient } from './stop-gradient';

beforeAll(useCpu);

describe('stopGradient', () => {
  it('is the identity forward', () => {
    const x = tf.tensor([1, -2, 3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3]);
  });

  it('passes no gradient', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(stopGradient(x), x)))(tf.tensor([1, 2, 3]));
    // d/dx sum(sg(x) * x) = sg(x) = x
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3]);
    const g0 = tf.grad((x: tf.Tensor) => tf.sum(tf.square(stopGradient(x))))(tf.tensor([1, 2, 3]));
    expect(Array.from(g0.dataSync())).toEqual([0, 0, 0]);
  });

  it('works when the forward runs inside an inner tidy', () => {
    const g = tf.grad((x: tf.Tensor) => tf.tidy(() => tf.sum(tf.add(stopGradient(tf.mul(x, 2)), x))))(
      tf.tensor([1, 2]),
    );
    expect(Array.from(g.dataSync())).toEqual([1, 1]);
  });
});

describe('steQuantize', () => {
  it('returns q(x) exactly and an identity gradient', () => {
    const x = tf.tensor([0.3, -1.7, 2.5]);
    const q = (t: tf.Tensor) => tf.round(t);
    expect(Array.from(steQuantize(x, q).dataSync())).toEqual([0, -2, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(steQuantize(t, q), tf.tensor([1, 2, 3]))))(x);
    expectClose(g.dataSync(), [1, 2, 3], 0);
  });

  it('accepts a q that returns its input', () => {
    const x = tf.tensor([1, 2]);
    const y = steQuantize(x, (t) => t);
    expect(y).not.toBe(x);
    expect(Array.from(y.dataSync())).toEqual([1, 2]);
  });

  it('rejects a q that changes the shape', () => {
    expect(() => steQuantize(tf.tensor([1, 2]), (t) => tf.sum(t))).toThrow(/keep the shape/);
  });
});
