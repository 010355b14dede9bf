import * as tf from '@tensorflow/tfjs-core';
import { clipGradNorm } from './grad-clip';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('clipGradNorm', () => {
  it('scales every gradient by maxNorm / (total norm + 1e-6) when above maxNorm', async () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor1d([0, 4]) }; // total norm 5
    const { grads: out, norm } = await clipGradNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 6);
    const c = 1 / (5 + 1e-6);
    expect(Array.from(out.a.dataSync())).toEqual([Math.fround(3 * Math.fround(c)), 0]);
    expect(out.b.dataSync()[1]).toBeCloseTo(4 * c, 6);
    const kept = await clipGradNorm(grads, 10);
    expect(Array.from(kept.grads.a.dataSync())).toEqual([3, 0]);
    tf.dispose([grads.a, grads.b, out.a, out.b, kept.grads.a, kept.grads.b]);
  });
});
