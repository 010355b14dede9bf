import type { AttentionTensor } from './attention-input';
import { createAccumulator, finishScores, requireSquare, type HeadScores } from './head-scores';

/**
 * Shared kernel of the token-based scores. For each query t, sums the attention
 * to keys `i + shift` for every earlier position i < t with `tokens[i] == tokens[t]`;
 * a sample's score is the mean of those sums over queries with at least one such
 * key, and samples without any such query are excluded.
 *
 * - shift 1: induction (key j = i + 1, i.e. tokens[j-1] == tokens[t], 1 <= j <= t)
 * - shift 0: duplicate token (key j = i < t with tokens[j] == tokens[t])
 *
 * `tokens` is the flat `[batch, query]` input (already checked).
 */
export function matchedKeyScores(
  att: AttentionTensor,
  tokens: Int32Array,
  shift: 0 | 1,
  perSample = false,
): HeadScores {
  const { data, layers: L, batch: B, heads: H, query: Q, key: K } = att;
  const starts = new Int32Array(Q + 1);
  const keys = new Int32Array((Q * (Q - 1)) / 2 + 1);
  const acc = createAccumulator(att, perSample);
  const { sums, perSample: ps } = acc;
  const headStride = Q * K;
  let included = 0;
  for (let b = 0; b < B; b++) {
    const tb = b * Q;
    let n = 0;
    let queries = 0;
    for (let t = 0; t < Q; t++) {
      starts[t] = n;
      const tok = tokens[tb + t];
      for (let i = 0; i < t; i++) {
        if (tokens[tb + i] === tok) keys[n++] = t * K + i + shift;
      }
      if (n > starts[t]) queries++;
    }
    starts[Q] = n;
    if (queries === 0) continue;
    included++;
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        const base = ((l * B + b) * H + h) * headStride;
        let s = 0;
        for (let m = 0; m < n; m++) s += data[base + keys[m]];
        const v = s / queries;
        const lh = l * H + h;
        sums[lh] += v;
        if (ps) ps[lh * B + b] = v;
      }
    }
  }
  return finishScores(att, acc, included);
}

/**
 * Token-based induction score (Olsson et al. 2022; TransformerLens's induction
 * pattern): for each query t, the total attention to keys j with
 * `tokens[j-1] == tokens[t]` and `1 <= j <= t`; averaged over the queries that have
 * such a key, then over samples that have such a query.
 */
export function tokenScores(att: AttentionTensor, tokens: Int32Array, perSample = false): HeadScores {
  requireSquare(att, 'the token definition');
  return matchedKeyScores(att, tokens, 1, perSample);
}
