import type { AttentionTensor } from './attention-input';
import { InductionScoreError, describeValue } from './errors';
import { diagonalScores, requireSquare, type HeadScores } from './head-scores';

/**
 * Stripe score on repeated random tokens with period n: for each query t >= n
 * (t >= n + 1 with a leading BOS), the attention on key t - n + 1 (the token after
 * the previous occurrence of token t); averaged over those queries, then samples.
 */
export function stripeScores(
  att: AttentionTensor,
  period: number | undefined,
  bos = false,
  perSample = false,
): HeadScores {
  requireSquare(att, 'the stripe definition');
  const Q = att.query;
  if (typeof bos !== 'boolean') {
    throw new InductionScoreError('BAD_OPTION', `bos is ${describeValue(bos)}; expected true or false`);
  }
  const offset = bos ? 1 : 0;
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || period + offset >= Q) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `period is ${describeValue(period)}; the stripe definition needs an integer period in ` +
        `1..${Q - 1 - offset} (sequence length ${Q}${bos ? ', after a BOS' : ''})`,
    );
  }
  // key t - period + 1: the token after the previous occurrence of token t
  return diagonalScores(att, period + offset, period - 1, perSample);
}
