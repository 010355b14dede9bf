import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';

// Built once: identity forward, zero gradient backward.
const stopGradientOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  return {
    // A new tensor, not `x` itself (a tape node whose output is its own input would loop):
    // a reshape shares x's data (tf.clone copies it on wasm).
    value: tf.reshape(x, x.shape),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  };
});

/**
 * Identity in the forward pass, zero gradient in the backward pass (PyTorch's
 * `x.detach()`, TensorFlow's `tf.stop_gradient`). tfjs-core has none; this is a
 * `tf.customGrad`.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}

/**
 * Straight-through estimator: the forward value is `q(x)`, the gradient is the
 * identity, exactly as for `x + stopGradient(q(x) - x)`. Implemented as one
 * `customGrad`, so the forward value is exactly `q(x)` (the `x + (q(x) - x)` form
 * can be off by one float32 ulp) and none of `q`'s ops are taped. `q` must keep the
 * shape of `x`.
 */
export function steQuantize<T extends tf.Tensor>(x: T, q: (x: T) => tf.Tensor): T {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as T;
    const out = q(input);
    if (!tf.util.arraysEqual(out.shape, input.shape)) {
      throw new BitLinearError(
        'BAD_SHAPE',
        `steQuantize: q(x) must keep the shape of x ${JSON.stringify(input.shape)}; got ${JSON.stringify(out.shape)}`,
      );
    }
    return {
      value: (out === input ? tf.reshape(out, out.shape) : out) as T,
      // identity; a reshape shares dy's data (tf.clone copies it on wasm)
      gradFunc: (dy: tf.Tensor) => tf.reshape(dy, dy.shape),
    };
  });
  return op(x) as T;
}
