import * as tf from '@tensorflow/tfjs-core';

/**
 * Batched matmuls for attention, fast on every backend.
 *
 * tfjs-backend-wasm runs `BatchMatMul` on XNNPACK only when both operands have batch
 * size 1; batched products (`q k^T`, `p v` and their gradients) fall back to a scalar
 * triple loop (1-2 GFLOP/s). A batched matmul is a depthwise convolution, which wasm
 * runs on XNNPACK: for `A [C,m,K] @ B [C,K,n]` (C = batch x heads)
 *
 *   x[0, i*K + k, 0, c] = A[c, i, k]     ([m, K, C] laid out as [1, m*K, 1, C])
 *   f[k, 0, c, j]       = B[c, k, j]     ([K, C, n] laid out as [K, 1, C, n])
 *   depthwiseConv2d(x, f, strides [K, 1], 'valid')[0, i, 0, c*n + j] = (A @ B)[c, i, j]
 *
 * Each operand takes exactly one transpose into that layout (a transposed operand
 * folds its transpose into the same permutation) and the result one transpose back.
 * Measured 2.3-2.9x faster than wasm's batched matMul on the attention shapes
 * (docs/PERFORMANCE.md), results equal within float32 rounding. Other backends (cpu,
 * webgpu, tensorflow) run plain `tf.matMul` with transpose flags, which is fine there.
 */

/** True when the current backend is wasm (batched matMul is slow there; see above). */
export function usesDepthwiseMatMul(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 * `op(a) @ op(b)` for rank-3 tensors, `op(t)` = `t` or its transpose over the last two
 * axes: `a [C,m,K]` (`[C,K,m]` if `transposeA`), `b [C,K,n]` (`[C,n,K]` if
 * `transposeB`) -> `[C,m,n]`. On wasm via `depthwiseConv2d` (XNNPACK), elsewhere
 * `tf.matMul(a, b, transposeA, transposeB)`. No gradient of its own: call it inside a
 * `customGrad` (see `batchMatMul` in attention.ts).
 */
export function batchedMatMul3d(a: tf.Tensor3D, b: tf.Tensor3D, transposeA = false, transposeB = false): tf.Tensor3D {
  if (!usesDepthwiseMatMul()) return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => {
    const c = a.shape[0];
    const [m, k] = transposeA ? [a.shape[2], a.shape[1]] : [a.shape[1], a.shape[2]];
    const n = transposeB ? b.shape[1] : b.shape[2];
    // x[i, k, c] = op(a)[c, i, k]
    const x = tf.reshape(tf.transpose(a, transposeA ? [2, 1, 0] : [1, 2, 0]), [1, m * k, 1, c]) as tf.Tensor4D;
    // f[k, c, j] = op(b)[c, k, j]
    const f = tf.reshape(tf.transpose(b, transposeB ? [2, 0, 1] : [1, 0, 2]), [k, 1, c, n]) as tf.Tensor4D;
    const y = tf.depthwiseConv2d(x, f, [k, 1], 'valid'); // [1, m, 1, c*n]
    return tf.transpose(tf.reshape(y, [m, c, n]), [1, 0, 2]);
  });
}

/** `batchedMatMul3d` for rank-4 `[B,H,...]` operands (the two leading axes are the batch). */
export function batchedMatMul4d(a: tf.Tensor4D, b: tf.Tensor4D, transposeA = false, transposeB = false): tf.Tensor4D {
  if (!usesDepthwiseMatMul()) return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => {
    const [bs, h] = a.shape;
    const a3 = tf.reshape(a, [bs * h, a.shape[2], a.shape[3]]) as tf.Tensor3D;
    const b3 = tf.reshape(b, [bs * h, b.shape[2], b.shape[3]]) as tf.Tensor3D;
    const y = batchedMatMul3d(a3, b3, transposeA, transposeB);
    return tf.reshape(y, [bs, h, y.shape[1], y.shape[2]]) as tf.Tensor4D;
  });
}
