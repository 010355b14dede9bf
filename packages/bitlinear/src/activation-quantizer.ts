import * as tf from '@tensorflow/tfjs-core';
import { ACTIVATION_BITS, ACTIVATION_EPS, ACTIVATION_QMAX, ACTIVATION_QMIN, ACTIVATION_SCALINGS } from './constants';
import type { ActivationScaling } from './constants';

export type { ActivationScaling };
import { checkOneOf } from './errors';
import { steQuantize } from './stop-gradient';


export interface QuantizeActivationsOptions {
  /** Only 8 is supported: levels -128..127, scale Q = 127. */
  bits?: 8;
  /** gamma = max|x| over each row of the last axis ('per-token', default) or the whole tensor. */
  scaling?: ActivationScaling;
}

/**
 * gamma = max(max|x|, 1e-5) per last-axis row (shape [..., 1]) or over the whole
 * tensor (scalar).
 */
export function activationGamma(x: tf.Tensor, scaling: ActivationScaling = 'per-token'): tf.Tensor {
  return tf.tidy(() => {
    const absMax =
      scaling === 'per-token' && x.rank > 0 ? tf.max(tf.abs(x), -1, true) : tf.max(tf.abs(x));
    return tf.maximum(absMax, ACTIVATION_EPS);
  });
}

/**
 * Forward value of the 8-bit absmax quantiser for a given gamma, no STE:
 * `clip(round(x * (127 / gamma)), -128, 127) * (gamma / 127)`, round half to even.
 * gamma must broadcast against x.
 */
export function quantizeWithGamma(x: tf.Tensor, gamma: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const scale = tf.div(ACTIVATION_QMAX, gamma);
    const levels = tf.clipByValue(tf.round(tf.mul(x, scale)), ACTIVATION_QMIN, ACTIVATION_QMAX);
    return tf.mul(levels, tf.div(gamma, ACTIVATION_QMAX));
  });
}

/** Validates and fills quantizeActivations options. */
export function resolveActivationOptions(
  options: QuantizeActivationsOptions = {},
): Required<QuantizeActivationsOptions> {
  const bits = checkOneOf('activation bits', options.bits ?? 8, ACTIVATION_BITS) as 8;
  const scaling = checkOneOf('activation scaling', options.scaling ?? 'per-token', ACTIVATION_SCALINGS);
  return { bits, scaling };
}

/**
 * 8-bit absmax activation quantisation (BitNet) with a straight-through gradient:
 * gamma = max|x| per token (last-axis row) or per tensor, floored at 1e-5;
 * value `clip(round(x * 127 / gamma), -128, 127) * gamma / 127`; gradient identity.
 */
export function quantizeActivations<T extends tf.Tensor>(x: T, options: QuantizeActivationsOptions = {}): T {
  const { scaling } = resolveActivationOptions(options);
  return steQuantize(x, (input) => tf.tidy(() => quantizeWithGamma(input, activationGamma(input, scaling))));
}
