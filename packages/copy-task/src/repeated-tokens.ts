/**
 * Repeated random tokens, the standard induction-head probe: each row is
 * `[r1..rn, r1..rn]` with r uniform over 0..vocabSize-1, optionally after a BOS id.
 * `createPrng(seed)` draws the rows in order, `nextInt(vocabSize)` per token.
 */
import { checkInteger, checkOptionsObject, checkSeed } from './options';
import { createPrng } from './prng';

/** Options of {@link repeatedRandomTokens}. */
export interface RepeatedTokensOptions {
  /** PRNG seed, an integer in 0..2^32-1. */
  seed: number;
  /** Rows, an integer >= 1. */
  batch: number;
  /** Length n of the random block, an integer >= 1. */
  period: number;
  /** Tokens are drawn from 0..vocabSize-1; an integer >= 1. */
  vocabSize: number;
  /** Optional id (integer >= 0) prepended to every row; may lie outside 0..vocabSize-1. */
  bos?: number;
}

/** Result of {@link repeatedRandomTokens}. */
export interface RepeatedTokens {
  /** [batch, L] row-major, L = 2 * period (+ 1 with bos). */
  tokens: Int32Array;
  shape: [number, number];
  period: number;
}

/**
 * Rows `[bos?, r1..rn, r1..rn]` with seeded uniform tokens.
 * @throws CopyTaskError for a bad option.
 */
export function repeatedRandomTokens(options: RepeatedTokensOptions): RepeatedTokens {
  const o = checkOptionsObject('options', options, ['seed', 'batch', 'period', 'vocabSize', 'bos']);
  const seed = checkSeed('seed', o.seed);
  const batch = checkInteger('batch', o.batch, 1);
  const period = checkInteger('period', o.period, 1);
  const vocabSize = checkInteger('vocabSize', o.vocabSize, 1, 0x7fffffff);
  const bos = o.bos === undefined ? undefined : checkInteger('bos', o.bos, 0, 0x7fffffff);

  const offset = bos === undefined ? 0 : 1;
  const len = 2 * period + offset;
  const tokens = new Int32Array(batch * len);
  const prng = createPrng(seed);
  for (let b = 0; b < batch; b++) {
    const row = b * len;
    if (bos !== undefined) tokens[row] = bos;
    for (let j = 0; j < period; j++) {
      const r = prng.nextInt(vocabSize);
      tokens[row + offset + j] = r;
      tokens[row + offset + period + j] = r;
    }
  }
  return { tokens, shape: [batch, len], period };
}
