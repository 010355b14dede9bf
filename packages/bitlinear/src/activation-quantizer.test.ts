import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';
import { expectClose, useCpu } from './test-setup';
import { quantizeActivations, quantizeWithGamma } from './activation-quantizer';

beforeAll(useCpu);

describe('quantizeActivations', () => {
  it('quantises per token by default: gamma = max|x| of each last-axis row', () => {
    const x = tf.tensor2d([
      [1, -2, 0.5, 4], // gamma 4: x*127/4 = 31.75, -63.5, 15.875, 127 -> 32, -64, 16, 127
      [0.1, 0.2, 0.3, -0.4], // gamma 0.4: 31.75, 63.5, 95.25, -127 -> 32, 64, 95, -127
    ]);
    const s1 = 4 / 127;
    const s2 = 0.4 / 127;
    expectClose(
      quantizeActivations(x).dataSync(),
      [32 * s1, -64 * s1, 16 * s1, 127 * s1, 32 * s2, 64 * s2, 95 * s2, -127 * s2],
      1e-6,
    );
  });

  it('rounds half to even, like torch.round', () => {
    // gamma = 127, so the scale is exactly 1
    const x = tf.tensor1d([127, 62.5, -0.5, 1.5, 2.5, -3.5]);
    expect(Array.from(quantizeActivations(x).dataSync()).map((v) => v + 0)).toEqual([127, 62, 0, 2, 2, -4]);
  });

  it('quantises per tensor on request', () => {
    const x = tf.tensor2d([[1, 2], [4, -8]]); // gamma 8: 15.875, 31.75, 63.5, -127
    const s = 8 / 127;
    expectClose(quantizeActivations(x, { scaling: 'per-tensor' }).dataSync(), [16 * s, 32 * s, 64 * s, -127 * s], 1e-6);
  });

  it('guards gamma = 0 (an all-zero row gives zeros, not NaN)', () => {
    const x = tf.tensor2d([[0, 0, 0], [1, -1, 0.5]]);
    const y = Array.from(quantizeActivations(x).dataSync());
    expect(y.slice(0, 3).map((v) => v + 0)).toEqual([0, 0, 0]);
    expectClose(y.slice(3), [1, -1, (64 * 1) / 127], 1e-6); // 63.5 -> 64
  });

  it('has an identity (straight-through) gradient', () => {
    const x = tf.tensor2d([[0.3, -1.2, 2.2], [0.01, 0.02, -0.5]]);
    const c = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(quantizeActivations(t), c)))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects bits other than 8 and unknown scalings, naming the valid ones', () => {
    const x = tf.tensor1d([1]);
    expect(() => quantizeActivations(x, { bits: 4 as 8 })).toThrow(BitLinearError);
    expect(() => quantizeActivations(x, { bits: 4 as 8 })).toThrow(/activation bits must be one of 8; got 4/);
    expect(() => quantizeActivations(x, { scaling: 'per-row' as 'per-token' })).toThrow(
      /"per-token", "per-tensor"; got "per-row"/,
    );
  });
});

describe('quantizeWithGamma', () => {
  it('clips the levels to [-128, 127]', () => {
    const y = quantizeWithGamma(tf.tensor1d([200, -200, 130, -128.4]), tf.scalar(127));
    expect(Array.from(y.dataSync())).toEqual([127, -128, 127, -128]);
  });
});
