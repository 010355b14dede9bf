import { InductionScoreError, describeValue } from './errors';
import type { InductionScoresResult, ScoreDefinition } from './induction-scores';
import type { ScoreTable } from './run-scores';

/** Default one-line descriptions written into `ScoreTable.description`. */
export const DEFINITION_DESCRIPTIONS: Readonly<Record<ScoreDefinition, string>> = {
  target:
    'mean over samples of attention from queryPos[b] to keyPos[b] (the token after the first induction token)',
  token:
    'mean over samples of the mean over queries t with a match of sum_j A[t, j] for 1 <= j <= t, tokens[j-1] == tokens[t]',
  stripe:
    'mean over samples and queries t >= period (+1 after a BOS) of A[t, t - period + 1] on repeated random tokens',
};

/** Converts an `inductionScores` result into the `ScoreTable` stored in `scores.json`. */
export function toScoreTable(result: InductionScoresResult, description?: string): ScoreTable {
  const { shape, scores, definition } = result;
  if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 2) || !(scores instanceof Float32Array)) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `result has shape ${describeValue(shape)}; expected an inductionScores result ([heads] or [layers, heads])`,
    );
  }
  const [layers, heads] = shape.length === 2 ? shape : [1, shape[0]];
  return {
    definition,
    layers,
    heads,
    values: Array.from(scores),
    sampleCount: result.sampleCount,
    description: description ?? DEFINITION_DESCRIPTIONS[definition],
  };
}
