import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';
import { checkInputAndKernel, checkTensor } from './tensor-checks';

// [rows, in] @ [in, out] with a gradient that uses explicit transposes and plain
// matMuls: on the wasm backend matMul with transposeA/transposeB leaves the XNNPACK
// path and is ~10x slower, and tf.matMul's own gradient uses those flags.
const matMul2d = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const a = args[0] as tf.Tensor2D;
  const b = args[1] as tf.Tensor2D;
  const save = args[2] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy2)];
    },
  };
});

// [rows, in] @ [in, out] + bias [out], same gradients plus the bias gradient as a Sum
// over rows. (`ones[1, rows] @ dy` looked 10x faster in a micro-benchmark that reused
// dy, but XNNPACK packs a new dy on every call, and then it is ~2x slower than Sum.)
const matMul2dBias = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const a = args[0] as tf.Tensor2D;
  const b = args[1] as tf.Tensor2D;
  const bias = args[2] as tf.Tensor1D;
  const save = args[3] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.add(tf.matMul(a, b), bias),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      return [tf.matMul(dy2, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy2), tf.sum(dy2, 0)];
    },
  };
});

/**
 * `x [..., in] @ kernel [in, out] (+ bias [out]) -> [..., out]` (TF.js kernel layout).
 * Leading axes are flattened into rows; the gradients are the same as `tf.matMul`'s
 * (and `tf.add`'s), but computed with explicit `tf.transpose` + plain `matMul` (fast on
 * wasm).
 */
export function denseMatMul(x: tf.Tensor, kernel: tf.Tensor, bias?: tf.Tensor): tf.Tensor {
  const [inF, outF] = checkInputAndKernel(x, kernel);
  if (bias !== undefined) {
    checkTensor('bias', bias);
    if (bias.rank !== 1 || bias.shape[0] !== outF) {
      throw new BitLinearError('BAD_SHAPE', `bias must have shape [${outF}]; got ${JSON.stringify(bias.shape)}`);
    }
  }
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    const rows = lead.reduce((p, d) => p * d, 1);
    const x2 = tf.reshape(x, [rows, inF]);
    const out = bias === undefined ? matMul2d(x2, kernel) : matMul2dBias(x2, kernel, bias);
    return tf.reshape(out, [...lead, outF]);
  });
}
