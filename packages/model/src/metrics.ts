/**
 * Copy accuracy and whole-split evaluation.
 *
 * Copy accuracy: the fraction of samples whose argmax logit at the query position (the
 * last input position, the second '&') equals the label there (the copied token).
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchIterator, type Batch, type CopyTaskSplit } from '@ihc/copy-task';
import type { ModelConfig } from './config';
import { ModelInputError } from './errors';
import { forward } from './forward';
import { targetNll, tokenNll } from './loss';
import type { Params } from './params';
import type { LossMode } from './train-config';
import { oneHotFloat } from './one-hot';

/** Argmax of `logits` `[B, T, V]` at `queryPos[b]` (an int32 `[B]` tensor): int32 `[B]`. */
export function argmaxAt(logits: tf.Tensor, queryPos: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const mask = tf.expandDims(oneHotFloat(queryPos, logits.shape[1] as number), -1);
    return tf.argMax(tf.sum(tf.mul(logits, mask), 1), -1) as tf.Tensor1D;
  });
}

/** Argmax of `logits` `[B, T, V]` at `queryPos[b]` for every sample: `[B]`. */
export function predictionsAt(logits: tf.Tensor, queryPos: Int32Array): Int32Array {
  const b = logits.shape[0];
  if (logits.rank !== 3 || queryPos.length !== b) {
    throw new ModelInputError(
      `predictionsAt needs logits [B, T, V] and B query positions; got logits [${logits.shape.join(', ')}] and ${queryPos.length} positions.`,
    );
  }
  const ids = tf.tidy(() => argmaxAt(logits, tf.tensor1d(queryPos, 'int32')));
  const out = Int32Array.from(ids.dataSync() as Int32Array);
  ids.dispose();
  return out;
}

/** Number of samples whose prediction at `queryPos[b]` equals `labels[b, queryPos[b]]`. */
export function copyHits(predictions: Int32Array, labels: Int32Array, queryPos: Int32Array, length: number): number {
  let hits = 0;
  for (let i = 0; i < predictions.length; i++) {
    if (predictions[i] === labels[i * length + queryPos[i]]) hits++;
  }
  return hits;
}

/** Copy accuracy of one batch: logits `[B, T, V]`, labels `[B*T]`, queryPos `[B]`. */
export function copyAccuracy(logits: tf.Tensor, labels: Int32Array, queryPos: Int32Array): number {
  const [b, t] = logits.shape;
  if (b === 0) return 0;
  return copyHits(predictionsAt(logits, queryPos), labels, queryPos, t) / b;
}

/** What `onBatch` receives; the tensors are disposed when the callback's promise settles. */
export interface EvalBatchInfo {
  /** 0-based batch number. */
  index: number;
  /** Index of the batch's first sample in the split (samples are in split order). */
  offset: number;
  batch: Batch;
  logits: tf.Tensor3D;
  /** Per layer `[B, H, T, T]` attention probabilities. */
  attention: tf.Tensor4D[];
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Samples per forward pass (default 128). */
  batchSize?: number;
  /** Which loss `loss` reports (default 'all'); both are always returned too. */
  loss?: LossMode;
  /** Called after each batch's forward pass (e.g. to accumulate induction scores). */
  onBatch?: (info: EvalBatchInfo) => void | Promise<void>;
  /** Return every sample's attention as one `[L, N, H, T, T]` array (memory: 4*L*N*H*T*T bytes). */
  collectAttention?: boolean;
}

/** Result of {@link evaluate}. */
export interface EvaluationResult {
  /** Mean loss of the chosen mode. */
  loss: number;
  /** Mean NLL over every position of every sample. */
  lossAll: number;
  /** Mean NLL at the query position. */
  lossTarget: number;
  /** Fraction of samples copied correctly. */
  copyAccuracy: number;
  sampleCount: number;
  /** With `collectAttention`: `[layers, samples, heads, T, T]`, samples in split order. */
  attention?: { data: Float32Array; shape: [number, number, number, number, number] };
}

/**
 * Evaluate a model on every sample of a split (in split order, the last batch may be
 * short), without gradients. Losses are means over all samples (sums accumulated in
 * float64). Tensors are disposed after each batch; `numTensors` is unchanged afterwards.
 */
export async function evaluate(
  params: Params,
  config: ModelConfig,
  split: CopyTaskSplit,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const batchSize = options.batchSize ?? 128;
  const mode = options.loss ?? 'all';
  const t = split.seqLength - 1;
  const heads = config.numHeads;
  let sumAll = 0;
  let sumTarget = 0;
  let hits = 0;
  let offset = 0;
  let index = 0;
  const attention = options.collectAttention
    ? new Float32Array(config.numLayers * split.count * heads * t * t)
    : undefined;
  for (const batch of batchIterator(split, { batchSize, shuffle: false, dropLast: false })) {
    const out = forward(params, config, batch.inputs, [batch.size, t]);
    try {
      const sums = tf.tidy(() => {
        const labels = tf.tensor2d(batch.labels, [batch.size, t], 'int32');
        const q = tf.tensor1d(batch.queryPos, 'int32');
        return tf.stack([tf.sum(tokenNll(out.logits, labels)), tf.sum(targetNll(out.logits, labels, q))]);
      });
      const [a, b] = (await sums.data()) as Float32Array;
      sums.dispose();
      sumAll += a;
      sumTarget += b;
      const preds = tf.tidy(() => argmaxAt(out.logits, tf.tensor1d(batch.queryPos, 'int32')));
      const predIds = Int32Array.from((await preds.data()) as Int32Array); // not dataSync: webgpu in Node cannot read synchronously
      preds.dispose();
      hits += copyHits(predIds, batch.labels, batch.queryPos, t);
      if (attention) {
        const block = heads * t * t;
        for (let l = 0; l < config.numLayers; l++) {
          const data = (await out.attention[l].data()) as Float32Array;
          attention.set(data, (l * split.count + offset) * block);
        }
      }
      if (options.onBatch) {
        await options.onBatch({ index, offset, batch, logits: out.logits, attention: out.attention });
      }
    } finally {
      out.logits.dispose();
      for (const a of out.attention) a.dispose();
    }
    offset += batch.size;
    index++;
  }
  const n = split.count;
  const lossAll = n > 0 ? sumAll / (n * t) : NaN;
  const lossTarget = n > 0 ? sumTarget / n : NaN;
  const result: EvaluationResult = {
    loss: mode === 'all' ? lossAll : lossTarget,
    lossAll,
    lossTarget,
    copyAccuracy: n > 0 ? hits / n : NaN,
    sampleCount: n,
  };
  if (attention) {
    result.attention = { data: attention, shape: [config.numLayers, n, heads, t, t] };
  }
  return result;
}
