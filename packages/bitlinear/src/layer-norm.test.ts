import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';
import { layerNorm } from './layer-norm';
import { expectClose, useCpu } from './test-setup';

beforeAll(useCpu);

describe('layerNorm', () => {
  it('normalises the last axis with the biased variance and eps 1e-5', () => {
    // row [1, 2, 3, 6]: mean 3, var (4 + 1 + 0 + 9) / 4 = 3.5
    const y = layerNorm(tf.tensor2d([[1, 2, 3, 6]]));
    const s = 1 / Math.sqrt(3.5 + 1e-5);
    expectClose(y.dataSync(), [-2 * s, -1 * s, 0, 3 * s], 1e-6);
  });

  it('applies the optional gain and bias', () => {
    const y = layerNorm(tf.tensor1d([0, 2]), { gain: tf.tensor1d([2, 3]), bias: tf.tensor1d([10, 20]), eps: 0.5 });
    const s = 1 / Math.sqrt(1 + 0.5);
    expectClose(y.dataSync(), [10 - 2 * s, 20 + 3 * s], 1e-6);
  });

  it('rejects a gain of the wrong shape and a bad eps', () => {
    expect(() => layerNorm(tf.zeros([2, 3]), { gain: tf.ones([2]) })).toThrow(BitLinearError);
    expect(() => layerNorm(tf.zeros([2, 3]), { gain: tf.ones([2]) })).toThrow(/gain must have shape \[3\]; got \[2\]/);
    expect(() => layerNorm(tf.zeros([2, 3]), { eps: 0 })).toThrow(/eps must be.*got 0/);
  });
});
