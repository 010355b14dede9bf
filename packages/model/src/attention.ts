import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '@ihc/bitlinear';
import { batchedMatMul4d } from './attention-matmul';
import type { SoftmaxMode } from './config';

type MatMul4d = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;

/**
 * Batched `a @ b` (or `a @ b^T` with `transposeB`) for rank-4 tensors `[B,H,m,k]`, as a
 * `customGrad` whose forward and both gradients are batched matmuls run by
 * `batchedMatMul4d` (depthwise convolution on XNNPACK on wasm, `tf.matMul` elsewhere;
 * never wasm's scalar batched matMul nor its transpose flags):
 * `a @ b`: `da = dy @ b^T`, `db = a^T @ dy`; `a @ b^T`: `da = dy @ b`, `db = dy^T @ a`.
 */
function makeBatchMatMul(transposeB: boolean): MatMul4d {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const a = args[0] as tf.Tensor4D;
    const b = args[1] as tf.Tensor4D;
    const save = args[2] as tf.GradSaveFunc;
    save([a, b]);
    return {
      value: batchedMatMul4d(a, b, false, transposeB),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb] = saved as tf.Tensor4D[];
        const g = dy as tf.Tensor4D;
        return transposeB
          ? [batchedMatMul4d(g, sb), batchedMatMul4d(g, sa, true, false)]
          : [batchedMatMul4d(g, sb, false, true), batchedMatMul4d(sa, g, true, false)];
      },
    };
  }) as unknown as MatMul4d;
}

/** Batched `a @ b`: `[B,H,m,k] @ [B,H,k,n] -> [B,H,m,n]` (see `makeBatchMatMul`). */
export const batchMatMul: MatMul4d = makeBatchMatMul(false);

/** Batched `a @ b^T`: `[B,H,m,k] @ [B,H,n,k]^T -> [B,H,m,n]` (see `makeBatchMatMul`). */
export const batchMatMulTransposeB: MatMul4d = makeBatchMatMul(true);

/** `[B,T,d]` -> `[B,H,T,d/H]` (head h takes channels h*hd .. (h+1)*hd-1). */
export function splitHeads(x: tf.Tensor3D, numHeads: number): tf.Tensor4D {
  const [b, t, d] = x.shape;
  return tf.transpose(tf.reshape(x, [b, t, numHeads, d / numHeads]), [0, 2, 1, 3]);
}

/** `[B,H,T,hd]` -> `[B,T,H*hd]`, the inverse of `splitHeads`. */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, h, t, hd] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, h * hd]);
}

/** Additive causal mask `[T,T]`: 0 where key <= query, -Infinity above the diagonal. */
export function causalMask(length: number): tf.Tensor2D {
  const data = new Float32Array(length * length);
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j < length; j++) data[i * length + j] = -Infinity;
  }
  return tf.tensor2d(data, [length, length], 'float32');
}

/**
 * Off-by-one softmax over the last axis, `exp(s_j) / (1 + sum_k exp(s_k))`, computed
 * stably: `m = max(max_k s_k, 0)` (no gradient; the result does not depend on it),
 * `p_j = exp(s_j - m) / (exp(-m) + sum_k exp(s_k - m))`. Rows sum to less than 1;
 * `-Infinity` entries get 0.
 */
export function offByOneSoftmax<T extends tf.Tensor>(scores: T): T {
  return tf.tidy(() => {
    const m = stopGradient(tf.maximum(tf.max(scores, -1, true), tf.scalar(0)));
    const e = tf.exp(tf.sub(scores, m));
    const denom = tf.add(tf.exp(tf.neg(m)), tf.sum(e, -1, true));
    return tf.div(e, denom) as T;
  });
}

/** Attention probabilities from (already masked) scores, for either softmax mode. */
export function attentionProbs<T extends tf.Tensor>(scores: T, mode: SoftmaxMode): T {
  return mode === 'off-by-one' ? offByOneSoftmax(scores) : (tf.softmax(scores, -1) as T);
}

/** Result of `causalAttention`. */
export interface AttentionResult {
  /** `merge(p v)`, `[B,T,d]`: the heads' outputs before the output projection. */
  output: tf.Tensor3D;
  /** Attention probabilities `[B,H,T,T]` (query, key); zero above the diagonal. */
  probs: tf.Tensor4D;
}

/**
 * Causal multi-head scaled dot-product attention on projected `q, k, v` (`[B,T,d]`):
 * `s = q k^T / sqrt(hd) + mask`, `p = softmax(s)` (or off-by-one), `output = merge(p v)`.
 * The batched matmuls are `batchMatMulTransposeB` and `batchMatMul` (fast on wasm).
 */
export function causalAttention(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  numHeads: number,
  softmax: SoftmaxMode,
): AttentionResult {
  return tf.tidy(() => {
    const r = causalAttentionHeads(splitHeads(q, numHeads), splitHeads(k, numHeads), splitHeads(v, numHeads), softmax);
    return { output: r.output, probs: r.probs };
  });
}

/** `causalAttention` on heads already split: `q, k, v` `[B,H,T,hd]`. */
export function causalAttentionHeads(
  qh: tf.Tensor4D,
  kh: tf.Tensor4D,
  vh: tf.Tensor4D,
  softmax: SoftmaxMode,
): AttentionResult {
  return tf.tidy(() => {
    const t = qh.shape[2];
    const hd = qh.shape[3];
    const raw = tf.div(batchMatMulTransposeB(qh, kh), tf.scalar(Math.sqrt(hd)));
    const scores = tf.add(raw, causalMask(t)) as tf.Tensor4D;
    const probs = attentionProbs(scores, softmax);
    const output = mergeHeads(batchMatMul(probs, vh));
    return { output, probs };
  });
}
