import * as tf from '@tensorflow/tfjs-core';

/**
 * `tf.oneHot(indices, depth)` as float32 that is correct on every backend. Do not pass
 * dtype 'float32' to `tf.oneHot`: the wasm backend's OneHot kernel (TF.js 4.22)
 * ignores it and writes int32 bits into a float32 tensor (1 reads as 1.4e-45). This
 * builds the int32 one-hot and casts it.
 */
export function oneHotFloat(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(indices, depth), 'float32'));
}
