import * as tf from '@tensorflow/tfjs-core';
import { expectClose, useCpu } from './test-setup';
import { binarizeWeights, ternarizeWeights } from './weight-quantizers';

beforeAll(useCpu);

describe('binarizeWeights', () => {
  it('is sign(W - mean W) * mean|W|', () => {
    // mean = 0.25, mean|W| = 1
    const w = tf.tensor2d([[0.5, -1], [2, -0.5]]);
    expect(Array.from(binarizeWeights(w).dataSync())).toEqual([1, -1, 1, -1]);
  });

  it('maps W == mean(W) to +1 (sign(0) := +1) and uses the uncentred mean|W|', () => {
    // mean = 2, W - mean = [-1, 1, 0, 0], mean|W| = 2
    const w = tf.tensor2d([[1, 3], [2, 2]]);
    expect(Array.from(binarizeWeights(w).dataSync())).toEqual([-2, 2, 2, 2]);
  });

  it('passes the gradient straight through', () => {
    const w = tf.tensor2d([[0.5, -1], [2, -0.5]]);
    const c = tf.tensor2d([[1, 2], [3, 4]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(binarizeWeights(t), c)))(w);
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3, 4]);
  });
});

describe('ternarizeWeights', () => {
  it('is round(clip(W / mean|W|, -1, 1)) * mean|W|', () => {
    // mean|W| = 2.35 / 6; W / mean = [0.255, -1.53, 2.81, -0.511, 0.894, 0]
    const w = tf.tensor1d([0.1, -0.6, 1.1, -0.2, 0.35, 0]);
    const beta = 2.35 / 6;
    expectClose(ternarizeWeights(w).dataSync(), [0, -beta, beta, -beta, beta, 0], 1e-6);
  });

  it('rounds half to even, like torch.round (0.5 -> 0, -0.5 -> 0)', () => {
    // mean|W| = 1 exactly, so W / (1 + 1e-8) = W in float32
    const w = tf.tensor1d([0.5, -0.5, 1.5, -1.5, 2, -2, 0, 0]);
    expect(Array.from(ternarizeWeights(w).dataSync()).map((v) => v + 0)).toEqual([0, 0, 1, -1, 1, -1, 0, 0]);
  });

  it('survives an all-zero matrix', () => {
    expect(Array.from(ternarizeWeights(tf.zeros([2, 2])).dataSync())).toEqual([0, 0, 0, 0]);
  });

  it('passes the gradient straight through', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ternarizeWeights(t), tf.tensor1d([5, 6, 7]))))(
      tf.tensor1d([0.1, -3, 0.7]),
    );
    expect(Array.from(g.dataSync())).toEqual([5, 6, 7]);
  });
});
