import type { AttentionTensor } from './attention-input';
import { InductionScoreError, describeValue } from './errors';
import { createAccumulator, finishScores, requireSquare, type HeadScores } from './head-scores';

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
  const { data, layers: L, batch: B, heads: H, query: Q, key: K } = att;
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
  const start = period + offset;
  const count = Q - start;
  const acc = createAccumulator(att, perSample);
  const { sums, perSample: ps } = acc;
  const headStride = Q * K;
  // Element (t, t - period + 1) of a head lies at t * (K + 1) - period + 1.
  const step = K + 1;
  const first = start * step - period + 1;
  for (let l = 0; l < L; l++) {
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const base = ((l * B + b) * H + h) * headStride + first;
        let s = 0;
        for (let c = 0, i = base; c < count; c++, i += step) s += data[i];
        const v = s / count;
        const lh = l * H + h;
        sums[lh] += v;
        if (ps) ps[lh * B + b] = v;
      }
    }
  }
  return finishScores(att, acc, B);
}
