export { InductionScoreError, type InductionScoreErrorCode } from './errors';
export {
  readAttention,
  validateAttention,
  DEFAULT_TOLERANCE,
  VALUE_TOLERANCE,
  type AttentionArray,
  type AttentionData,
  type AttentionInput,
  type AttentionSource,
  type AttentionTensor,
  type NestedAttention4,
  type NestedAttention5,
  type OnnxTensorLike,
  type RowSumMode,
  type TfjsTensorLike,
  type ValidationOptions,
} from './attention-input';
export type { TokenInput } from './token-input';
export type { HeadScores } from './head-scores';
export {
  inductionScores,
  SCORE_DEFINITIONS,
  type InductionScoreOptions,
  type InductionScoresResult,
  type ScoreDefinition,
} from './induction-scores';
export {
  detectHeads,
  labelHeads,
  HEAD_KINDS,
  type DetectHeadsOptions,
  type DetectHeadsResult,
  type HeadKind,
  type HeadLabel,
} from './detect-heads';
export {
  parseRunScores,
  RUN_CONFIG_KEYS,
  type RunConfigSummary,
  type RunScores,
  type ScoreTable,
  type SplitScores,
} from './run-scores';
export {
  summariseRuns,
  type RunGroup,
  type ScoreSummary,
  type SplitSummary,
  type Stat,
} from './summarise-runs';
export { toScoreTable, DEFINITION_DESCRIPTIONS } from './score-table';
