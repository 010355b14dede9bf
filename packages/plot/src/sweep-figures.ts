/**
 * The set of figures a sweep yields, as named vega-lite specs (nothing rendered here):
 * the study's grids per precision / split / definition / mode, FP-minus-other
 * difference grids, comparisons with the original's published scores, per-run maps
 * and training curves.
 */
import type { RunScores } from '@ihc/induction-score';
import { differenceGridSpec } from './difference-grid';
import { heatmapGridSpec } from './heatmap-grid';
import {
  type Definition,
  DEFINITIONS,
  NORM_MODES,
  POS_EMBEDS,
  PRECISIONS,
  type Precision,
  SOFTMAX_MODES,
  type SoftmaxMode,
  type Split,
  SPLITS,
  definitionLabel,
  precisionLabel,
  slug,
  softmaxLabel,
} from './labels';
import { readMetrics } from './metrics-reader';
import { comparisonSpec } from './comparison';
import { type OriginalPrecision, type OriginalScores, originalGrid } from './original-scores';
import type { VegaLiteSpec } from './render';
import { runMapSpec } from './run-map';
import type { Sweep } from './sweep-reader';
import { type FixedMode, fixedLabel, gridFromRuns } from './sweep-grids';
import { type TrainingSeries, trainingCurvesSpec } from './training-curves';

/** Kinds of figure. */
export type FigureKind = 'grid' | 'difference' | 'comparison' | 'run' | 'curves';

/** A figure to render: its file name (without extension, may contain one '/'), kind, title and spec. */
export interface FigureSpec {
  name: string;
  kind: FigureKind;
  title: string;
  spec: VegaLiteSpec;
}

/** Which figures to make. */
export interface SweepFigureOptions {
  /** Colour domain of our scores (default [0, 1]). */
  domain?: [number, number];
  /** Splits (default both). */
  splits?: readonly Split[];
  /** Definitions (default both). */
  definitions?: readonly Definition[];
  /** Make FP-minus-other difference grids (default true). */
  differences?: boolean;
  /** Make one layer x head map per run (default true). */
  runMaps?: boolean;
  /** The original's published scores: adds ours-vs-original comparisons (target definition). */
  original?: OriginalScores;
}

/** The original's precision our precision is compared with (its "1-bit" runs had frozen random signs). */
export const ORIGINAL_COUNTERPART: Readonly<Record<Precision, OriginalPrecision>> = {
  fp: 'fp',
  '1bit': '1bit',
  '1.58bit': '1bit',
  'frozen-sign': '1bit',
};

const present = <T>(all: readonly T[], values: readonly T[]): T[] => all.filter((v) => values.includes(v));

/** Fixed-mode choices present in the runs: every positional mode, then every norm mode. */
export function fixedModes(runs: readonly RunScores[]): FixedMode[] {
  const pos = present(POS_EMBEDS, runs.map((r) => r.config.posEmbed)).map((value): FixedMode => ({ key: 'posEmbed', value }));
  const norm = present(NORM_MODES, runs.map((r) => r.config.norm)).map((value): FixedMode => ({ key: 'norm', value }));
  return [...pos, ...norm];
}

const fixedSlug = (f: FixedMode): string => `${f.key === 'posEmbed' ? 'pos' : 'norm'}-${f.value}`;

/** Specs of every score figure of a sweep (grids, differences, comparisons, run maps). */
export function sweepFigureSpecs(runs: readonly RunScores[], options: SweepFigureOptions = {}): FigureSpec[] {
  const domain = options.domain ?? [0, 1];
  const splits = options.splits ?? SPLITS;
  const definitions = options.definitions ?? DEFINITIONS;
  const precisions = present(PRECISIONS, runs.map((r) => r.config.precision));
  const softmaxes = present(SOFTMAX_MODES, runs.map((r) => r.config.softmax));
  const bySoftmax: (SoftmaxMode | undefined)[] = softmaxes.length > 1 ? softmaxes : [undefined];
  const modes = fixedModes(runs);
  const figures: FigureSpec[] = [];

  for (const softmax of bySoftmax) {
    const sm = softmax ? `_${slug(softmax)}` : '';
    for (const split of splits) {
      for (const definition of definitions) {
        for (const fixed of modes) {
          const grids = new Map(
            precisions.map((precision) => [precision, gridFromRuns(runs, { precision, split, definition, fixed, ...(softmax ? { softmax } : {}) })]),
          );
          for (const [precision, grid] of grids) {
            figures.push({
              name: `grid_${split}_${slug(precision)}${sm}_${definition}_${fixedSlug(fixed)}`,
              kind: 'grid',
              title: grid.title,
              spec: heatmapGridSpec(grid, { domain }),
            });
          }
          const fp = grids.get('fp');
          if ((options.differences ?? true) && fp) {
            for (const [precision, grid] of grids) {
              if (precision === 'fp') continue;
              const title = `FP minus ${precisionLabel(precision)} · ${split} · ${fixedLabel(fixed)}${softmax ? ` · ${softmaxLabel(softmax)}` : ''}`;
              figures.push({
                name: `diff_${split}_fp-minus-${slug(precision)}${sm}_${definition}_${fixedSlug(fixed)}`,
                kind: 'difference',
                title,
                spec: differenceGridSpec(fp, grid, {
                  a: 'FP',
                  b: precisionLabel(precision),
                  title,
                  subtitle: [
                    `induction score: ${definitionLabel(definition)}; per-config means over seeds`,
                    `red: FP scores higher · blue: ${precisionLabel(precision)} scores higher`,
                  ],
                }),
              });
            }
          }
          const original = options.original;
          if (original && definition === 'target' && softmax !== 'off-by-one') {
            for (const [precision, grid] of grids) {
              const theirs = ORIGINAL_COUNTERPART[precision];
              const inOriginal = fixed.key === 'posEmbed' ? original.grid.posEmbeds.includes(fixed.value) : original.grid.norms.includes(fixed.value);
              if (!inOriginal) continue;
              const og = originalGrid(original, { precision: theirs, split, fixed });
              const theirKeys = new Set(og.panels.map((panel) => `${panel.row}/${panel.col}`));
              if (!grid.panels.some((panel) => theirKeys.has(`${panel.row}/${panel.col}`))) continue; // no config in common
              const title = `Ours (${precisionLabel(precision)}) vs original (${theirs === 'fp' ? 'FP' : '1-bit, frozen signs'}) · ${split} · ${fixedLabel(fixed)}`;
              figures.push({
                name: `compare-original_${split}_${slug(precision)}_${definition}_${fixedSlug(fixed)}`,
                kind: 'comparison',
                title,
                spec: comparisonSpec(grid, og, {
                  title,
                  subtitle: [
                    'The original scored the last eval batch only, indexed with other batches\u2019 positions (aliased): compare patterns, not magnitudes.',
                    'Its 1-bit weights never trained (frozen random signs). Grey: configuration not run.',
                  ],
                  oursDomain: domain,
                }),
              });
            }
          }
        }
      }
    }
  }
  if (options.runMaps ?? true) {
    for (const run of runs) {
      figures.push({ name: `runs/run_${slug(run.config.runId)}`, kind: 'run', title: `Run ${run.config.runId}`, spec: runMapSpec(run, { domain }) });
    }
  }
  return figures;
}

/** Options of `sweepCurveSpecs`. */
export interface SweepCurveOptions {
  /** Draw one line per run when the sweep has at most this many runs (default 12). */
  maxRunLines?: number;
}

/** Training-curve specs of a sweep: mean per precision, and per run for small sweeps. */
export async function sweepCurveSpecs(sweep: Sweep, options: SweepCurveOptions = {}): Promise<FigureSpec[]> {
  const withMetrics = sweep.runs.filter((r) => r.metricsFile !== undefined);
  if (withMetrics.length === 0) return [];
  const perRun = withMetrics.length <= (options.maxRunLines ?? 12);
  const series: TrainingSeries[] = [];
  for (const run of withMetrics) {
    // many runs: eval lines only (sparse); few runs: step lines too, for the training loss
    const metrics = await readMetrics(run.metricsFile as string, perRun ? {} : { types: ['eval'] });
    series.push({ id: run.scores.config.runId, group: precisionLabel(run.scores.config.precision), metrics });
  }
  const order = PRECISIONS.map(precisionLabel);
  const figures: FigureSpec[] = [
    {
      name: 'curves_by-precision',
      kind: 'curves',
      title: 'Training curves by precision',
      spec: trainingCurvesSpec(series, { colorBy: 'group', order, loss: 'eval', title: 'Training curves by precision' }),
    },
  ];
  if (perRun) {
    figures.push({
      name: 'curves_by-run',
      kind: 'curves',
      title: 'Training curves by run',
      spec: trainingCurvesSpec(series, { colorBy: 'series', title: 'Training curves by run' }),
    });
  }
  return figures;
}
