import type { AttentionTensor } from './attention-input';
import { InductionScoreError } from './errors';

/** Scores per (layer,) head, optionally per sample. */
export interface HeadScores {
  /** Mean over included samples, row-major `[layers?, heads]`. NaN when `sampleCount` is 0. */
  scores: Float32Array;
  /** `[heads]` for rank-4 input, `[layers, heads]` for rank-5 input. */
  shape: number[];
  /** Per-sample scores `[layers?, heads, batch]` (NaN for excluded samples), when requested. */
  perSample?: Float32Array;
  perSampleShape?: number[];
  /** Samples that contributed to the mean. */
  sampleCount: number;
  /** Samples left out because they had no query the definition applies to. */
  excludedSamples: number;
}

/** Accumulator for per-sample head scores; sums are kept in float64. */
export interface ScoreAccumulator {
  readonly sums: Float64Array;
  readonly perSample: Float32Array | undefined;
}

export function createAccumulator(att: AttentionTensor, perSample: boolean): ScoreAccumulator {
  const n = att.layers * att.heads;
  return {
    sums: new Float64Array(n),
    perSample: perSample ? new Float32Array(n * att.batch).fill(Number.NaN) : undefined,
  };
}

/** Turns accumulated per-sample sums into means and the public result shape. */
export function finishScores(
  att: AttentionTensor,
  acc: ScoreAccumulator,
  sampleCount: number,
): HeadScores {
  const n = att.layers * att.heads;
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) scores[i] = sampleCount > 0 ? acc.sums[i] / sampleCount : Number.NaN;
  const shape = att.layered ? [att.layers, att.heads] : [att.heads];
  const result: HeadScores = {
    scores,
    shape,
    sampleCount,
    excludedSamples: att.batch - sampleCount,
  };
  if (acc.perSample) {
    result.perSample = acc.perSample;
    result.perSampleShape = [...shape, att.batch];
  }
  return result;
}

/** Definitions that compare query and key positions need self-attention (query = key axis). */
export function requireSquare(att: AttentionTensor, what: string): void {
  if (att.query !== att.key) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `${what} needs self-attention with query = key = sequence length; got query ${att.query}, ` +
        `key ${att.key}`,
    );
  }
}

/**
 * Mean over queries t = start..Q-1 of the attention on key t - lag (one diagonal of
 * each head's pattern), per sample, then over samples. Shared by the previous-token
 * score (lag 1) and the stripe score (lag period - 1). Needs square attention and
 * 0 <= lag <= start < Q (checked by the callers).
 */
export function diagonalScores(att: AttentionTensor, start: number, lag: number, perSample: boolean): HeadScores {
  const { data, layers: L, batch: B, heads: H, query: Q, key: K } = att;
  const count = Q - start;
  const acc = createAccumulator(att, perSample);
  const { sums, perSample: ps } = acc;
  const headStride = Q * K;
  // element (t, t - lag) of a head lies at t * (K + 1) - lag
  const step = K + 1;
  const first = start * step - lag;
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
