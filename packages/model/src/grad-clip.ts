import * as tf from '@tensorflow/tfjs-core';

/**
 * Global-norm gradient clipping with PyTorch's `clip_grad_norm_` semantics (2-norm):
 * `total = sqrt(sum ||g||^2)`, `coef = min(1, maxNorm / (total + 1e-6))`, every gradient
 * multiplied by `coef`. Returns new tensors (the caller disposes both sets) and the norm
 * before clipping. Asynchronous: the norm is read with `data()`, which every backend
 * supports (WebGPU in Node has no synchronous read).
 */
export async function clipGradNorm(
  grads: Readonly<Record<string, tf.Tensor>>,
  maxNorm: number,
): Promise<{ grads: Record<string, tf.Tensor>; norm: number }> {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => {
    const squares = names.map((n) => tf.sum(tf.square(grads[n])));
    return squares.length === 0 ? tf.scalar(0) : tf.sqrt(tf.addN(squares));
  });
  const total = ((await norm.data()) as Float32Array)[0];
  norm.dispose();
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  const out: Record<string, tf.Tensor> = {};
  tf.tidy(() => {
    const s = tf.scalar(coef);
    for (const n of names) out[n] = tf.keep(tf.mul(grads[n], s));
  });
  return { grads: out, norm: total };
}
