/**
 * @ihc/plot - figures for induction-head studies as SVG and PNG (vega-lite -> vega ->
 * SVG -> resvg), and a self-contained HTML report of a sweep.
 */
export { PlotError, type PlotErrorCode } from './errors';
export {
  DEFAULT_FONT_FAMILY,
  findDefaultFontFile,
  loadFontMetrics,
  measureText,
  resolveFonts,
  type FontMetrics,
  type FontOptions,
  type ResolvedFonts,
} from './fonts';
export {
  compileSpec,
  pngSize,
  renderPixels,
  renderPng,
  renderSvg,
  svgSize,
  type RenderedPixels,
  type RenderPngOptions,
  type RenderSvgOptions,
  type VegaLiteSpec,
  type VegaSpec,
} from './render';
export { BLUES, BLUE_WHITE_RED, CATEGORY_COLOURS, baseConfig, colourScale } from './theme';
export {
  DEFINITIONS,
  NORM_MODES,
  POS_EMBEDS,
  PRECISIONS,
  SOFTMAX_MODES,
  SPLITS,
  definitionLabel,
  normLabel,
  posLabel,
  precisionLabel,
  softmaxLabel,
  type Definition,
  type NormMode,
  type PosEmbed,
  type Precision,
  type SoftmaxMode,
  type Split,
} from './labels';
export {
  defaultPanelTitle,
  headTicks,
  heatmapGridSpec,
  type GridKey,
  type HeatmapGrid,
  type HeatmapGridOptions,
  type HeatmapPanel,
} from './heatmap-grid';
export { fixedLabel, gridFromRuns, gridKeys, selectRuns, type FixedMode, type GridSelection } from './sweep-grids';
export { differenceGrid, differenceGridSpec, type DifferenceLabels } from './difference-grid';
export { describeRun, runGrid, runMapSpec, type RunMapOptions } from './run-map';
export {
  attentionPatternSpec,
  toHeadMatrices,
  type AttentionMatrix,
  type AttentionPatternInput,
  type AttentionPatternOptions,
} from './attention-pattern';
export {
  parseMetrics,
  readMetrics,
  type EvalMetrics,
  type MetricsReadOptions,
  type MetricsRecord,
  type StepMetrics,
} from './metrics-reader';
export { downsample, trainingCurvesSpec, type TrainingCurvesOptions, type TrainingSeries } from './training-curves';
export {
  loadOriginalScores,
  originalGrid,
  parseOriginalScores,
  type OriginalAverage,
  type OriginalGridOptions,
  type OriginalGridSelection,
  type OriginalMissing,
  type OriginalPrecision,
  type OriginalRun,
  type OriginalScores,
  type OriginalScoresSource,
} from './original-scores';
export { comparisonSpec, type ComparisonOptions } from './comparison';
export { readSweep, type IncompleteRun, type Sweep, type SweepRun } from './sweep-reader';
export {
  ORIGINAL_COUNTERPART,
  fixedModes,
  sweepCurveSpecs,
  sweepFigureSpecs,
  type FigureKind,
  type FigureSpec,
  type SweepCurveOptions,
  type SweepFigureOptions,
} from './sweep-figures';
export { plotSweep, type PlotSweepOptions } from './plot-sweep';
export { writeReport, type ReportOptions } from './report';
export { escapeHtml, inlineSvg } from './html';
export { writeFileAtomic } from './atomic-write';
export type { RunConfigSummary, RunScores, ScoreTable, SplitScores } from '@ihc/induction-score';
