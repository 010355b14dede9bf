/**
 * Cross-entropy of next-token logits, over every position or only the query position.
 *
 * `nll[b, t] = -log_softmax(logits[b, t])[labels[b, t]]`, with a stable log-softmax
 * (`x - max - log(sum(exp(x - max)))`, `tf.logSoftmax`) and the label picked by a one-hot
 * product (no `gather`, whose gradient the wasm backend lacks).
 * - 'all': mean over the B*T positions (PyTorch's `CrossEntropyLoss` on flattened logits,
 *   the original's loss);
 * - 'target': mean over the batch of `nll[b, queryPos[b]]` (the copy prediction only).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError } from './errors';
import type { LossMode } from './train-config';
import { oneHotFloat } from './one-hot';

/** Integer indices: an int32 tensor or a flat Int32Array (row-major). */
export type IndexInput = tf.Tensor | Int32Array;

function asIndexTensor(x: IndexInput, shape: number[], what: string, limit: number): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.dtype !== 'int32' || x.shape.length !== shape.length || x.shape.some((s, i) => s !== shape[i])) {
      throw new ModelInputError(
        `${what} must be an int32 tensor of shape [${shape.join(', ')}]; got ${x.dtype} [${x.shape.join(', ')}].`,
      );
    }
    return x;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (!(x instanceof Int32Array) || x.length !== size) {
    throw new ModelInputError(`${what} must be an Int32Array of ${size} values (shape [${shape.join(', ')}]).`);
  }
  for (let i = 0; i < x.length; i++) {
    if (x[i] < 0 || x[i] >= limit) {
      throw new ModelInputError(`${what}[${i}] = ${x[i]} is outside 0..${limit - 1}.`);
    }
  }
  return tf.tensor(x, shape, 'int32');
}

/** Per-position negative log-likelihood `[B, T]` of `labels` `[B, T]` under `logits` `[B, T, V]`. */
export function tokenNll(logits: tf.Tensor, labels: IndexInput): tf.Tensor2D {
  if (logits.rank !== 3) {
    throw new ModelInputError(`Logits must have shape [batch, length, vocab]; got [${logits.shape.join(', ')}].`);
  }
  const [b, t, v] = logits.shape as [number, number, number];
  const lab = asIndexTensor(labels, [b, t], 'labels', v);
  try {
    return tf.tidy(() => {
      const logp = tf.logSoftmax(logits, -1);
      const picked = tf.sum(tf.mul(logp, oneHotFloat(lab, v)), -1);
      return tf.neg(picked) as tf.Tensor2D;
    });
  } finally {
    if (lab !== labels) lab.dispose();
  }
}

/** Per-sample NLL at `queryPos[b]`: `[B]`. */
export function targetNll(logits: tf.Tensor, labels: IndexInput, queryPos: IndexInput): tf.Tensor1D {
  const [b, t] = logits.shape as [number, number, number];
  const q = asIndexTensor(queryPos, [b], 'queryPos', t);
  try {
    return tf.tidy(() => {
      const nll = tokenNll(logits, labels);
      return tf.sum(tf.mul(nll, oneHotFloat(q, t)), -1) as tf.Tensor1D;
    });
  } finally {
    if (q !== queryPos) q.dispose();
  }
}

/** Options of {@link crossEntropyLoss}. */
export interface LossOptions {
  mode: LossMode;
  /** `[B]` query positions; required for mode 'target'. */
  queryPos?: IndexInput;
}

/** Scalar training loss (see the file comment for the two modes). */
export function crossEntropyLoss(logits: tf.Tensor, labels: IndexInput, options: LossOptions): tf.Scalar {
  if (options.mode === 'all') return tf.tidy(() => tf.mean(tokenNll(logits, labels)) as tf.Scalar);
  if (options.mode === 'target') {
    if (options.queryPos === undefined) {
      throw new ModelInputError("Loss mode 'target' needs queryPos (the index of the query token per sample).");
    }
    const q = options.queryPos;
    return tf.tidy(() => tf.mean(targetNll(logits, labels, q)) as tf.Scalar);
  }
  throw new ModelInputError(`Unknown loss mode ${String(options.mode)}; valid modes: all, target.`);
}
