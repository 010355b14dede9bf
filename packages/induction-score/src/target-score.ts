import type { AttentionTensor } from './attention-input';
import { InductionScoreError, describeValue } from './errors';
import { createAccumulator, finishScores, type HeadScores } from './head-scores';

function readPositions(
  positions: ArrayLike<number> | undefined,
  name: 'queryPos' | 'keyPos',
  batch: number,
  limit: number,
  axis: string,
): Int32Array {
  if (
    positions === undefined ||
    positions === null ||
    typeof positions !== 'object' ||
    typeof positions.length !== 'number'
  ) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `${name} is ${describeValue(positions)}; the target definition needs ${name} as an ` +
        `array of ${batch} positions (one per sample)`,
    );
  }
  if (positions.length !== batch) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `${name} has ${positions.length} entries; expected one per sample (batch = ${batch})`,
    );
  }
  const out = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const p = positions[b];
    if (!Number.isInteger(p) || p < 0 || p >= limit) {
      throw new InductionScoreError(
        'BAD_INDEX',
        `${name}[${b}] is ${describeValue(p)}; expected an integer ${axis} position in 0..${limit - 1}`,
      );
    }
    out[b] = p;
  }
  return out;
}

/**
 * Target score: for each sample b, the attention from query `queryPos[b]` to key
 * `keyPos[b]`; averaged over every sample of the batch.
 */
export function targetScores(
  att: AttentionTensor,
  queryPos: ArrayLike<number> | undefined,
  keyPos: ArrayLike<number> | undefined,
  perSample = false,
): HeadScores {
  const { data, layers: L, batch: B, heads: H, query: Q, key: K } = att;
  const qp = readPositions(queryPos, 'queryPos', B, Q, 'query');
  const kp = readPositions(keyPos, 'keyPos', B, K, 'key');
  const acc = createAccumulator(att, perSample);
  const { sums, perSample: ps } = acc;
  const headStride = Q * K;
  for (let l = 0; l < L; l++) {
    for (let b = 0; b < B; b++) {
      const sampleBase = (l * B + b) * H * headStride + qp[b] * K + kp[b];
      for (let h = 0; h < H; h++) {
        const v = data[sampleBase + h * headStride];
        const lh = l * H + h;
        sums[lh] += v;
        if (ps) ps[lh * B + b] = v;
      }
    }
  }
  return finishScores(att, acc, B);
}
