import * as tf from '@tensorflow/tfjs-core';
import { LAYER_NORM_EPS } from './constants';
import { BitLinearError } from './errors';


export interface LayerNormOptions {
  /** Added to the variance, default 1e-5. */
  eps?: number;
  /** Per-feature scale [features]; identity when omitted. */
  gain?: tf.Tensor;
  /** Per-feature shift [features]; identity when omitted. */
  bias?: tf.Tensor;
}

function checkParam(name: string, t: tf.Tensor | undefined, features: number): void {
  if (t !== undefined && (t.rank !== 1 || t.shape[0] !== features)) {
    throw new BitLinearError(
      'BAD_SHAPE',
      `LayerNorm ${name} must have shape [${features}]; got ${JSON.stringify(t.shape)}`,
    );
  }
}

/**
 * LayerNorm over the last axis with the biased variance (as `torch.nn.LayerNorm`):
 * `(x - mean) * rsqrt(var + eps) * gain + bias`.
 */
export function layerNorm(x: tf.Tensor, options: LayerNormOptions = {}): tf.Tensor {
  const eps = options.eps ?? LAYER_NORM_EPS;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new BitLinearError('INVALID_OPTION', `eps must be a finite number > 0 (e.g. 1e-5); got ${String(eps)}`);
  }
  if (x.rank < 1) {
    throw new BitLinearError('BAD_SHAPE', `layerNorm needs rank >= 1; got shape ${JSON.stringify(x.shape)}`);
  }
  const features = x.shape[x.rank - 1];
  checkParam('gain', options.gain, features);
  checkParam('bias', options.bias, features);
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    let y = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
    if (options.gain) y = tf.mul(y, options.gain);
    if (options.bias) y = tf.add(y, options.bias);
    return y;
  });
}
