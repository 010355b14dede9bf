import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';
import { layerNorm } from './layer-norm';
import '@tensorflow/tfjs-backend-wasm';
import { expectClose, seededValues, useCpu } from './test-setup';

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

  /** The forward ops written out; their autodiff is the reference gradient. */
  function reference(x: tf.Tensor, eps: number, gain?: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
    const centered = tf.sub(x, tf.mean(x, -1, true));
    let y = tf.mul(centered, tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps)));
    if (gain) y = tf.mul(y, gain);
    if (bias) y = tf.add(y, bias);
    return y;
  }

  describe.each(['cpu', 'wasm'])('closed-form gradient (%s)', (backend) => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });
    afterAll(useCpu);

    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])('equals the autodiff of the forward ops (gain %s, bias %s)', (withGain, withBias) => {
      const x = tf.tensor3d(seededValues(2 * 3 * 6, 31, 3), [2, 3, 6]);
      const gain = withGain ? tf.tensor1d(seededValues(6, 32, 2)) : undefined;
      const bias = withBias ? tf.tensor1d(seededValues(6, 33)) : undefined;
      const w = tf.tensor3d(seededValues(2 * 3 * 6, 34), [2, 3, 6]);
      const inputs: tf.Tensor[] = [x, gain, bias].filter((t): t is tf.Tensor1D | tf.Tensor3D => t !== undefined);
      const unpack = (ts: tf.Tensor[]) => {
        let i = 1;
        return [ts[0], withGain ? ts[i++] : undefined, withBias ? ts[i++] : undefined] as const;
      };
      const ours = (...ts: tf.Tensor[]) => {
        const [a, g, b] = unpack(ts);
        return tf.sum(tf.mul(layerNorm(a, { eps: 1e-5, gain: g, bias: b }), w));
      };
      const ref = (...ts: tf.Tensor[]) => {
        const [a, g, b] = unpack(ts);
        return tf.sum(tf.mul(reference(a, 1e-5, g, b), w));
      };
      expectClose(layerNorm(x, { gain, bias }).dataSync(), reference(x, 1e-5, gain, bias).dataSync(), 1e-6);
      const got = tf.grads(ours)(inputs);
      const want = tf.grads(ref)(inputs);
      expect(got.length).toBe(inputs.length);
      for (let i = 0; i < inputs.length; i++) {
        expect(got[i].shape).toEqual(inputs[i].shape);
        expectClose(got[i].dataSync(), want[i].dataSync(), 1e-5);
      }
      // the check can fail: dx is not zero (w is not constant along rows)
      expect(Math.max(...Array.from(got[0].dataSync()).map(Math.abs))).toBeGreaterThan(1e-2);
    });

    it('leaks no tensors forward or backward', () => {
      const x = tf.tensor2d(seededValues(4 * 5, 35), [4, 5]);
      const gain = tf.ones([5]);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        tf.grads((a: tf.Tensor, g: tf.Tensor) => tf.sum(layerNorm(a, { gain: g })))([x, gain]);
      });
      layerNorm(x).dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
