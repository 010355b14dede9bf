/**
 * One run's layer x head maps: rows = split (train, eval), columns = score definition
 * (target, token), each cell labelled with its value, copy accuracy and loss per split.
 */
import type { RunScores } from '@ihc/induction-score';
import { badOption } from './errors';
import { type GridKey, type HeatmapGrid, type HeatmapGridOptions, type HeatmapPanel, heatmapGridSpec } from './heatmap-grid';
import { type Definition, DEFINITIONS, type Split, SPLITS, fmt, normLabel, posLabel, precisionLabel, softmaxLabel } from './labels';
import type { VegaLiteSpec } from './render';

/** Options of `runMapSpec`. */
export interface RunMapOptions extends Omit<HeatmapGridOptions, 'cellWidth'> {
  /** Splits to show (default both). */
  splits?: readonly Split[];
  /** Definitions to show (default both). */
  definitions?: readonly Definition[];
  /** Pixels per head column (default: 44 up to 8 heads, fewer for more heads). */
  cellWidth?: number;
}

/** One line describing a run's configuration. */
export function describeRun(run: RunScores): string {
  const c = run.config;
  return [
    precisionLabel(c.precision),
    `embed ${c.embedSize}`,
    `${c.numHeads} heads`,
    `${c.numLayers} layers`,
    posLabel(c.posEmbed),
    normLabel(c.norm),
    softmaxLabel(c.softmax),
    `seed ${c.seed}`,
  ].join(' · ');
}

/** The grid of one run (rows: splits, columns: definitions). */
export function runGrid(run: RunScores, options: Pick<RunMapOptions, 'splits' | 'definitions'> = {}): HeatmapGrid {
  const splits = options.splits ?? SPLITS;
  const definitions = options.definitions ?? DEFINITIONS;
  splits.forEach((s) => SPLITS.includes(s) || badOption('splits', splits, "a list of 'train' and/or 'eval'"));
  definitions.forEach((d) => DEFINITIONS.includes(d) || badOption('definitions', definitions, "a list of 'target' and/or 'token'"));
  const panels: HeatmapPanel[] = [];
  for (const split of splits) {
    const s = run.splits[split];
    for (const definition of definitions) {
      const t = s.scores[definition];
      panels.push({
        row: split,
        col: definition,
        layers: t.layers,
        heads: t.heads,
        values: t.values,
        n: 1,
        copyAccuracy: s.copyAccuracy,
        subtitle: `copy acc ${fmt(s.copyAccuracy)} · loss ${fmt(s.loss, 3)} · ${t.sampleCount} samples`,
      });
    }
  }
  return {
    title: `Run ${run.config.runId}`,
    subtitle: [describeRun(run), `${run.steps} steps · ${fmt(run.seconds / 60, 1)} min on ${run.backend}`],
    rows: splits,
    cols: definitions,
    panels,
    panelTitle: (row: GridKey, col: GridKey) => `${row} split · ${col} score`,
  };
}

/** Vega-lite spec of one run's layer x head maps, values printed in the cells. */
export function runMapSpec(run: RunScores, options: RunMapOptions = {}): VegaLiteSpec {
  const heads = run.config.numHeads;
  const cellWidth = options.cellWidth ?? Math.max(18, Math.min(44, Math.floor(400 / heads)));
  return heatmapGridSpec(runGrid(run, options), {
    cellHeight: 26,
    showValues: cellWidth >= 30,
    ...options,
    cellWidth,
  });
}
