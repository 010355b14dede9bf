/**
 * Turns run scores into heatmap grids: the study's averaging (over seeds and over the
 * norm or positional modes), with every embed size / head count of the sweep kept as a
 * row / column so configurations without runs show up as missing panels.
 */
import { type RunGroup, type RunScores, summariseRuns } from '@ihc/induction-score';
import { PlotError, badOption } from './errors';
import type { HeatmapGrid, HeatmapPanel } from './heatmap-grid';
import {
  type Definition,
  DEFINITIONS,
  NORM_MODES,
  type NormMode,
  POS_EMBEDS,
  type PosEmbed,
  type Precision,
  type SoftmaxMode,
  type Split,
  SPLITS,
  definitionLabel,
  normLabel,
  posLabel,
  precisionLabel,
  softmaxLabel,
} from './labels';

/** The mode held fixed in a figure; the other mode is averaged over. */
export type FixedMode = { key: 'posEmbed'; value: PosEmbed } | { key: 'norm'; value: NormMode };

/** Which runs and numbers one grid figure shows. */
export interface GridSelection {
  precision: Precision;
  split: Split;
  definition: Definition;
  fixed: FixedMode;
  /** Only runs with this softmax (default: all runs). */
  softmax?: SoftmaxMode;
}

/** Row and column keys of a grid: every embed size / head count in `runs`, ascending. */
export function gridKeys(runs: readonly RunScores[]): { rows: number[]; cols: number[] } {
  const rows = [...new Set(runs.map((r) => r.config.embedSize))].sort((a, b) => a - b);
  const cols = [...new Set(runs.map((r) => r.config.numHeads))].sort((a, b) => a - b);
  return { rows, cols };
}

/** "averaged over norm modes" / "averaged over positional modes", for titles. */
export function fixedLabel(fixed: FixedMode): string {
  return fixed.key === 'posEmbed'
    ? `${posLabel(fixed.value)}, averaged over norm modes`
    : `${normLabel(fixed.value)}, averaged over positional modes`;
}

function checkSelection(sel: GridSelection): void {
  if (!SPLITS.includes(sel.split)) badOption('split', sel.split, SPLITS.join(' or '));
  if (!DEFINITIONS.includes(sel.definition)) badOption('definition', sel.definition, DEFINITIONS.join(' or '));
  if (!sel.fixed || (sel.fixed.key !== 'posEmbed' && sel.fixed.key !== 'norm')) {
    badOption('fixed', sel.fixed, "{ key: 'posEmbed' | 'norm', value }");
  }
}

/** Runs matching a selection (precision, softmax and the fixed mode). */
export function selectRuns(runs: readonly RunScores[], sel: Omit<GridSelection, 'split' | 'definition'>): RunScores[] {
  return runs.filter(
    (r) =>
      r.config.precision === sel.precision &&
      (sel.softmax === undefined || r.config.softmax === sel.softmax) &&
      r.config[sel.fixed.key] === sel.fixed.value,
  );
}

/** Groups runs per (embed size, head count), averaging over everything else; PlotError on mixed layer counts. */
export function groupByShape(runs: readonly RunScores[]): RunGroup[] {
  const groups = summariseRuns(runs, ['embedSize', 'numHeads', 'numLayers']);
  const seen = new Map<string, RunGroup>();
  for (const g of groups) {
    const key = `${g.key.embedSize}/${g.key.numHeads}`;
    const other = seen.get(key);
    if (other) {
      throw new PlotError(
        'INCONSISTENT_RUNS',
        `Runs with embed ${g.key.embedSize} and ${g.key.numHeads} heads have ${other.layers} and ${g.layers} layers ` +
          `(e.g. ${JSON.stringify(other.runIds[0])} and ${JSON.stringify(g.runIds[0])}); they cannot be averaged into one panel.`,
      );
    }
    seen.set(key, g);
  }
  return groups;
}

/** A panel from a group of runs: mean scores, their std, n and mean copy accuracy. */
export function panelFromGroup(g: RunGroup, split: Split, definition: Definition): HeatmapPanel {
  const s = g.splits[split];
  return {
    row: g.key.embedSize as number,
    col: g.key.numHeads as number,
    layers: g.layers,
    heads: g.heads,
    values: s.scores[definition].mean,
    std: s.scores[definition].std,
    n: g.n,
    copyAccuracy: s.copyAccuracy.mean,
  };
}

/**
 * The grid of one figure of the study: for `selection.precision`, runs with the fixed
 * mode's value, averaged over seeds and the other mode, one panel per (embed, heads).
 * Rows/columns default to every embed size/head count in `runs` (pass the whole sweep).
 */
export function gridFromRuns(
  runs: readonly RunScores[],
  selection: GridSelection,
  options: { rows?: readonly number[]; cols?: readonly number[]; title?: string } = {},
): HeatmapGrid {
  checkSelection(selection);
  const keys = gridKeys(runs);
  const chosen = selectRuns(runs, selection);
  const groups = chosen.length ? groupByShape(chosen) : [];
  const panels = groups.map((g) => panelFromGroup(g, selection.split, selection.definition));
  const other = selection.fixed.key === 'posEmbed' ? 'norm' : 'posEmbed';
  const order: readonly string[] = other === 'norm' ? NORM_MODES : POS_EMBEDS;
  const averaged = [...new Set(chosen.map((r) => r.config[other]))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const seeds = new Set(chosen.map((r) => r.config.seed)).size;
  const softmax = selection.softmax ? ` · ${softmaxLabel(selection.softmax)}` : '';
  return {
    title:
      options.title ??
      `${precisionLabel(selection.precision)} · ${selection.split} · ${fixedLabel(selection.fixed)}${softmax}`,
    subtitle: [
      `induction score: ${definitionLabel(selection.definition)}`,
      `mean over ${averaged.length ? averaged.map((v) => (other === 'norm' ? normLabel(v as NormMode) : posLabel(v as PosEmbed))).join(', ') : 'no runs'}` +
        ` and ${seeds} seed${seeds === 1 ? '' : 's'}; n = runs per panel`,
    ],
    rows: options.rows ?? keys.rows,
    cols: options.cols ?? keys.cols,
    panels,
  };
}
