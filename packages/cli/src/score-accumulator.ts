import { inductionScores, toScoreTable, type ScoreTable } from '@ihc/induction-score';

export interface AttentionBatch {
  /** Per layer `[B, H, T, T]`, row-major. */
  layers: Float32Array[];
  batch: number;
  heads: number;
  length: number;
  /** Input tokens `[B, T]`. */
  tokens: Int32Array;
  queryPos: Int32Array;
  keyPos: Int32Array;
}

export interface ScoreAccumulator {
  add(b: AttentionBatch): void;
  /** Mean scores over every sample added so far (weighted by each batch's sample count). */
  finish(): { target: ScoreTable; token: ScoreTable };
}

/**
 * Accumulates the `target` and `token` induction scores over a split batch by batch,
 * so whole splits are scored without holding every attention tensor. Each batch's mean
 * is weighted by the number of samples it scored, which gives exactly the mean over all
 * samples.
 */
export function createScoreAccumulator(numLayers: number, numHeads: number, rowSum: 'one' | 'at-most-one'): ScoreAccumulator {
  const size = numLayers * numHeads;
  const sums = { target: new Float64Array(size), token: new Float64Array(size) };
  const counts = { target: 0, token: 0 };
  return {
    add(b) {
      const block = b.batch * b.heads * b.length * b.length;
      const data = new Float32Array(numLayers * block);
      b.layers.forEach((layer, l) => data.set(layer, l * block));
      const attention = { data, shape: [numLayers, b.batch, b.heads, b.length, b.length] };
      const target = inductionScores(attention, { definition: 'target', queryPos: b.queryPos, keyPos: b.keyPos, rowSum });
      const token = inductionScores(attention, { definition: 'token', tokens: b.tokens, rowSum, validate: false });
      for (const [name, r] of [['target', target], ['token', token]] as const) {
        for (let i = 0; i < size; i++) sums[name][i] += r.scores[i] * r.sampleCount;
        counts[name] += r.sampleCount;
      }
    },
    finish() {
      const table = (name: 'target' | 'token'): ScoreTable => {
        const scores = new Float32Array(size);
        for (let i = 0; i < size; i++) scores[i] = counts[name] ? sums[name][i] / counts[name] : NaN;
        return toScoreTable({ definition: name, scores, shape: [numLayers, numHeads], sampleCount: counts[name], excludedSamples: 0 });
      };
      return { target: table('target'), token: table('token') };
    },
  };
}
