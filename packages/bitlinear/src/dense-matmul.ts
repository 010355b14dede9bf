import * as tf from '@tensorflow/tfjs-core';
import { checkInputAndKernel } from './tensor-checks';

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

/**
 * `x [..., in] @ kernel [in, out] -> [..., out]` (TF.js kernel layout). Leading
 * axes are flattened into rows; the gradient is the same as `tf.matMul`'s, but
 * computed with explicit `tf.transpose` + plain `matMul` (fast on wasm).
 */
export function denseMatMul(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  const [inF, outF] = checkInputAndKernel(x, kernel);
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    const rows = lead.reduce((p, d) => p * d, 1);
    const out = matMul2d(tf.reshape(x, [rows, inF]), kernel);
    return tf.reshape(out, [...lead, outF]);
  });
}
