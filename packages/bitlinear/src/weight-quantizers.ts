import * as tf from '@tensorflow/tfjs-core';
import { TERNARY_EPS } from './constants';
import { steQuantize } from './stop-gradient';


/**
 * Forward value of the 1-bit quantiser, no STE: `sign(W - mean(W)) * mean(|W|)`
 * with sign(0) := +1 (so `W >= mean(W)` maps to +1). beta = mean|W| of the latent
 * (uncentred) W, over the whole tensor. BitNet (Wang et al. 2023).
 */
export function binarizeWeightsValue(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.mean(w);
    const beta = tf.mean(tf.abs(w));
    const signs = tf.sub(tf.mul(tf.cast(tf.greaterEqual(w, mean), 'float32'), 2), 1);
    return tf.mul(signs, beta);
  });
}

/**
 * Forward value of the ternary quantiser, no STE:
 * `round(clip(W / (mean|W| + 1e-8), -1, 1)) * mean|W|`, round half to even (as
 * `torch.round`). BitNet b1.58 (Ma et al. 2024).
 */
export function ternarizeWeightsValue(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const beta = tf.mean(tf.abs(w));
    const codes = tf.round(tf.clipByValue(tf.div(w, tf.add(beta, TERNARY_EPS)), -1, 1));
    return tf.mul(codes, beta);
  });
}

/** 1-bit weights with a straight-through gradient (identity to the latent W). */
export function binarizeWeights<T extends tf.Tensor>(w: T): T {
  return steQuantize(w, binarizeWeightsValue);
}

/** Ternary (1.58-bit) weights with a straight-through gradient (identity to the latent W). */
export function ternarizeWeights<T extends tf.Tensor>(w: T): T {
  return steQuantize(w, ternarizeWeightsValue);
}
