/**
 * Batching of a copy-task split into typed arrays, with a seeded, reproducible order.
 *
 * The order of epoch `e` is a Fisher-Yates shuffle of 0..count-1 driven by
 * `createPrng(deriveSeed(seed, e))`: for i = count-1 down to 1, swap i with
 * `nextInt(i + 1)`. So a given (seed, epoch) always gives the same permutation, and a
 * trainer resumed at epoch e reproduces its order without replaying earlier epochs.
 */
import type { CopyTaskSplit } from './copy-task';
import { CopyTaskError } from './errors';
import { checkBoolean, checkInteger, checkOptionsObject, checkSeed } from './options';
import { createPrng, deriveSeed } from './prng';

/** Options of {@link batchIterator}. */
export interface BatchOptions {
  /** Samples per batch, an integer >= 1. */
  batchSize: number;
  /** Shuffle seed, an integer in 0..2^32-1; required when `shuffle` is true. */
  seed?: number;
  /** Shuffle the order (default true); false keeps the split's order. */
  shuffle?: boolean;
  /** Drop the last batch when it has fewer than batchSize samples (default true). */
  dropLast?: boolean;
  /** Epoch number, an integer in 0..2^32-1 (default 0): selects the permutation. */
  epoch?: number;
}

/** One batch; arrays are fresh copies, row-major. */
export interface Batch {
  /** Samples in this batch. */
  size: number;
  /** Tokens per row of inputs and labels (split.seqLength - 1, 29 by default). */
  inputLength: number;
  /** [size, inputLength] */
  inputs: Int32Array;
  /** [size, inputLength] */
  labels: Int32Array;
  /** [size] */
  queryPos: Int32Array;
  /** [size] */
  keyPos: Int32Array;
  /** [size] indices of the samples in the split. */
  indices: Int32Array;
}

/** What {@link batchIterator} returns: iterable any number of times, always in the same order. */
export interface BatchIterable extends Iterable<Batch> {
  /** Number of batches one iteration yields. */
  readonly batchCount: number;
  /** The epoch's sample order (a copy; count indices). */
  readonly order: Int32Array;
}

const BATCH_OPTION_KEYS = ['batchSize', 'seed', 'shuffle', 'dropLast', 'epoch'];

/**
 * The permutation of 0..count-1 used for (seed, epoch): Fisher-Yates with
 * `createPrng(deriveSeed(seed, epoch))`.
 */
export function epochPermutation(count: number, seed: number, epoch = 0): Int32Array {
  checkInteger('count', count, 0);
  checkSeed('seed', seed);
  checkInteger('epoch', epoch, 0, 0xffffffff);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const prng = createPrng(deriveSeed(seed, epoch));
  for (let i = count - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/** Number of batches for `count` samples. */
export function batchCount(count: number, batchSize: number, dropLast = true): number {
  checkInteger('count', count, 0);
  checkInteger('batchSize', batchSize, 1);
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

function checkSplit(split: unknown): CopyTaskSplit {
  const s = split as Partial<CopyTaskSplit> | null;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    Number.isInteger(s.count) &&
    (s.count as number) >= 0 &&
    Number.isInteger(s.seqLength) &&
    (s.seqLength as number) >= 2;
  if (ok) {
    const n = s.count as number;
    const t = (s.seqLength as number) - 1;
    const arraysOk =
      s.inputs instanceof Int32Array &&
      s.inputs.length === n * t &&
      s.labels instanceof Int32Array &&
      s.labels.length === n * t &&
      s.queryPos instanceof Int32Array &&
      s.queryPos.length === n &&
      s.keyPos instanceof Int32Array &&
      s.keyPos.length === n;
    if (arraysOk) return s as CopyTaskSplit;
  }
  throw new CopyTaskError(
    'split',
    split,
    'a CopyTaskSplit from generateCopyTask: { count, seqLength, inputs and labels Int32Array [count, seqLength-1], queryPos and keyPos Int32Array [count] }',
  );
}

/**
 * Batches of a split in a seeded order. Each batch copies its rows into fresh
 * Int32Arrays. With `shuffle` (default) the order is `epochPermutation(count, seed,
 * epoch)`; `dropLast` (default) skips a final short batch.
 * @throws CopyTaskError for a bad split or options (batchSize < 1, missing seed, ...).
 */
export function batchIterator(split: CopyTaskSplit, options: BatchOptions): BatchIterable {
  const s = checkSplit(split);
  if (options === undefined) {
    throw new CopyTaskError('options', options, 'an object with batchSize (and seed when shuffling)');
  }
  const o = checkOptionsObject('options', options, BATCH_OPTION_KEYS);
  const batchSize = checkInteger('batchSize', o.batchSize, 1);
  const shuffle = o.shuffle === undefined ? true : checkBoolean('shuffle', o.shuffle);
  const dropLast = o.dropLast === undefined ? true : checkBoolean('dropLast', o.dropLast);
  const epoch = o.epoch === undefined ? 0 : checkInteger('epoch', o.epoch, 0, 0xffffffff);
  if (shuffle && o.seed === undefined) {
    throw new CopyTaskError('seed', undefined, 'an integer in 0..4294967295 (required when shuffle is true)');
  }
  const seed = o.seed === undefined ? 0 : checkSeed('seed', o.seed);

  const n = s.count;
  const t = s.seqLength - 1;
  let order: Int32Array;
  if (shuffle) {
    order = epochPermutation(n, seed, epoch);
  } else {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  const batches = batchCount(n, batchSize, dropLast);

  function* generate(): Generator<Batch> {
    for (let b = 0; b < batches; b++) {
      const start = b * batchSize;
      const size = Math.min(batchSize, n - start);
      const indices = order.slice(start, start + size);
      const inputs = new Int32Array(size * t);
      const labels = new Int32Array(size * t);
      const queryPos = new Int32Array(size);
      const keyPos = new Int32Array(size);
      for (let r = 0; r < size; r++) {
        const i = indices[r];
        inputs.set(s.inputs.subarray(i * t, i * t + t), r * t);
        labels.set(s.labels.subarray(i * t, i * t + t), r * t);
        queryPos[r] = s.queryPos[i];
        keyPos[r] = s.keyPos[i];
      }
      yield { size, inputLength: t, inputs, labels, queryPos, keyPos, indices };
    }
  }

  return {
    batchCount: batches,
    get order(): Int32Array {
      return order.slice();
    },
    [Symbol.iterator]: generate,
  };
}
