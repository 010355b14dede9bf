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

function rowsOf(t: tf.Tensor, features: number): tf.Tensor2D {
  return tf.reshape(t, [t.size / features, features]);
}

/** Sum over every axis but the last. */
function sumLeading(t: tf.Tensor, features: number): tf.Tensor1D {
  return tf.sum(rowsOf(t, features), 0);
}

type LayerNormOp = (x: tf.Tensor, ...params: tf.Tensor[]) => tf.Tensor;

/**
 * LayerNorm as one customGrad with the closed-form gradient (`xhat = (x - mean) * r`,
 * `r = rsqrt(var + eps)`, `g = dy * gain`):
 * `dx = r * (g - mean(g) - xhat * mean(g * xhat))`, `dgain = sum(dy * xhat)`,
 * `dbias = sum(dy)` over every axis but the last. Fewer kernels than the autodiff of the
 * forward ops (whose broadcasts each add a reduction).
 */
function makeLayerNormOp(eps: number, hasGain: boolean, hasBias: boolean): LayerNormOp {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const x = args[0] as tf.Tensor;
    const gain = hasGain ? (args[1] as tf.Tensor) : undefined;
    const bias = hasBias ? (args[hasGain ? 2 : 1] as tf.Tensor) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const features = x.shape[x.rank - 1];
    const normalise = (t: tf.Tensor): [tf.Tensor, tf.Tensor] => {
      const centered = tf.sub(t, tf.mean(t, -1, true));
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
      return [tf.mul(centered, r), r];
    };
    // Only inputs are saved (saving xhat and r would keep tensors created in here alive,
    // which IS_TEST's leak checker reports); the backward pass recomputes them.
    save(gain ? [x, gain] : [x]);
    const [xhat] = normalise(x);
    let y = xhat;
    if (gain) y = tf.mul(y, gain);
    if (bias) y = tf.add(y, bias);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sgain] = saved;
        const [sxhat, sr] = normalise(sx);
        const g = sgain ? tf.mul(dy, sgain) : dy;
        const m1 = tf.mean(g, -1, true);
        const m2 = tf.mean(tf.mul(g, sxhat), -1, true);
        const dx = tf.mul(sr, tf.sub(tf.sub(g, m1), tf.mul(sxhat, m2)));
        const grads: tf.Tensor[] = [dx];
        if (hasGain) grads.push(sumLeading(tf.mul(dy, sxhat), features));
        if (hasBias) grads.push(sumLeading(dy, features));
        return grads;
      },
    };
  }) as unknown as LayerNormOp;
}

const layerNormOps = new Map<string, LayerNormOp>();

/**
 * LayerNorm over the last axis with the biased variance (as `torch.nn.LayerNorm`):
 * `(x - mean) * rsqrt(var + eps) * gain + bias`, with a closed-form gradient.
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
  const key = `${eps}|${options.gain ? 1 : 0}|${options.bias ? 1 : 0}`;
  let op = layerNormOps.get(key);
  if (op === undefined) {
    op = makeLayerNormOp(eps, options.gain !== undefined, options.bias !== undefined);
    layerNormOps.set(key, op);
  }
  const params = [options.gain, options.bias].filter((t): t is tf.Tensor => t !== undefined);
  return op(x, ...params);
}
