/**
 * The copy-task generator (the original study's recipe, every knob an option).
 *
 * Sentence i (0-based) of `count`: `pre + [ind, m] + noise + [ind, m]` with
 * `len(pre)` uniform in 0..prefixLength-1, `m` and every letter of `pre` and `noise`
 * uniform over the vocabulary, and `len(noise) = seqLength - len(pre) - 4`. One PRNG
 * (`createPrng(seed)`) draws, sentence after sentence: `nextInt(prefixLength)` for
 * len(pre), then the pre letters, then `m`, then the noise letters, each with
 * `nextInt(vocabulary.length)`. The first `trainSize` sentences are the train split, the
 * rest the eval split, so changing `trainSize` never changes the sentences.
 */
import { resolveCopyTaskOptions, type CopyTaskOptions, type ResolvedCopyTaskOptions } from './options';
import { createPrng } from './prng';
import { createTokenizer, type Tokenizer } from './tokenizer';

/** One split; every array is row-major and owned by the split. */
export interface CopyTaskSplit {
  /** Number of sentences. */
  count: number;
  /** Tokens per sentence (30 by default); inputs and labels have seqLength-1 per row. */
  seqLength: number;
  /** [count, seqLength] token ids. */
  tokens: Int32Array;
  /** [count, seqLength-1] = tokens[:, :-1]. */
  inputs: Int32Array;
  /** [count, seqLength-1] = tokens[:, 1:]. */
  labels: Int32Array;
  /** [count], all seqLength-2: index in inputs of the second induction token (the query). */
  queryPos: Int32Array;
  /** [count] = len(pre)+1: index of the token after the first induction token (the key). */
  keyPos: Int32Array;
}

/** Result of {@link generateCopyTask}. */
export interface CopyTask {
  train: CopyTaskSplit;
  eval: CopyTaskSplit;
  tokenizer: Tokenizer;
  options: ResolvedCopyTaskOptions;
}

/** Builds a split from `tokens` [count, seqLength] and the per-row key positions. */
function makeSplit(tokens: Int32Array, keyPos: Int32Array, count: number, seqLength: number): CopyTaskSplit {
  const t = seqLength - 1;
  const inputs = new Int32Array(count * t);
  const labels = new Int32Array(count * t);
  for (let i = 0; i < count; i++) {
    const row = i * seqLength;
    inputs.set(tokens.subarray(row, row + t), i * t);
    labels.set(tokens.subarray(row + 1, row + seqLength), i * t);
  }
  return {
    count,
    seqLength,
    tokens,
    inputs,
    labels,
    queryPos: new Int32Array(count).fill(seqLength - 2),
    keyPos,
  };
}

/**
 * Generates the seeded copy-task dataset. Defaults reproduce the original recipe:
 * 6000 sentences of 30 tokens over 'a'..'z' (ids 0..25) plus '&' (id 26), len(pre) in
 * 0..3, train = first 5500, eval = last 500.
 * @throws CopyTaskError (code 'INVALID_OPTION') for bad options, see resolveCopyTaskOptions.
 */
export function generateCopyTask(options?: CopyTaskOptions): CopyTask {
  const resolved = resolveCopyTaskOptions(options);
  const { seed, count, trainSize, seqLength: len, prefixLength, vocabulary, inductionToken } = resolved;
  const tokenizer = createTokenizer(vocabulary, inductionToken);
  const v = vocabulary.length;
  const ind = tokenizer.inductionId;
  const prng = createPrng(seed);

  const tokens = new Int32Array(count * len);
  const keyPos = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = i * len;
    const pre = prng.nextInt(prefixLength);
    for (let j = 0; j < pre; j++) tokens[row + j] = prng.nextInt(v);
    const m = prng.nextInt(v);
    tokens[row + pre] = ind;
    tokens[row + pre + 1] = m;
    for (let j = pre + 2; j < len - 2; j++) tokens[row + j] = prng.nextInt(v);
    tokens[row + len - 2] = ind;
    tokens[row + len - 1] = m;
    keyPos[i] = pre + 1;
  }

  const evalSize = count - trainSize;
  return {
    train: makeSplit(tokens.slice(0, trainSize * len), keyPos.slice(0, trainSize), trainSize, len),
    eval: makeSplit(tokens.slice(trainSize * len), keyPos.slice(trainSize), evalSize, len),
    tokenizer,
    options: resolved,
  };
}
