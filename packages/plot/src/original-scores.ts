/**
 * The original study's published scores (`seed-scores.json`: its `.pt` score files
 * converted to JSON): a parser that validates and normalises them to this project's
 * names, and grids in the shape of our figures.
 *
 * Caveat: the original's metric was aliased - every stored score was computed from its
 * last eval batch of 16 samples, indexed with other batches' positions, so a perfect
 * induction head scores only ~0.25 under it (its figures' colour scale stops at 0.30).
 * Its "1-bit" runs are, in effect, frozen random sign projections (its BitLinear never
 * trained), i.e. closest to our 'frozen-sign' precision.
 */
import { readFile } from 'node:fs/promises';
import { PlotError } from './errors';
import type { HeatmapGrid, HeatmapPanel } from './heatmap-grid';
import type { NormMode, PosEmbed, SoftmaxMode, Split } from './labels';

import { type FixedMode, fixedLabel } from './sweep-grids';

/** The original's two precisions, in our names ('FP' -> 'fp', '1Bit' -> '1bit'). */
export type OriginalPrecision = 'fp' | '1bit';

/** One published per-run score table. */
export interface OriginalRun {
  split: Split;
  precision: OriginalPrecision;
  embedSize: number;
  numHeads: number;
  posEmbed: PosEmbed;
  norm: NormMode;
  softmax: SoftmaxMode;
  seed: number;
  /** The original `.pt` file name. */
  file: string;
  layers: number;
  heads: number;
  /** Row-major `[layers, heads]`. */
  values: number[];
}

/** One published average (over norm modes or over positional modes). */
export interface OriginalAverage {
  split: Split;
  precision: OriginalPrecision;
  embedSize: number;
  numHeads: number;
  /** The mode held fixed; the other was averaged over. */
  fixed: FixedMode;
  layers: number;
  heads: number;
  values: number[];
  /** Files of the runs averaged (may include off-by-one-softmax runs). */
  members: string[];
  n: number;
  file: string;
}

/** A configuration the original never published. */
export interface OriginalMissing {
  split: Split;
  precision: OriginalPrecision;
  embedSize: number;
  numHeads: number;
  posEmbed: PosEmbed;
  norm: NormMode;
}

/** The whole published set, normalised. */
export interface OriginalScores {
  description: string;
  grid: { embedSizes: number[]; headCounts: number[]; posEmbeds: PosEmbed[]; norms: NormMode[] };
  runs: OriginalRun[];
  averages: OriginalAverage[];
  missing: OriginalMissing[];
}

const PRECISION: Record<string, OriginalPrecision> = { FP: 'fp', '1Bit': '1bit' };
const POS: Record<string, PosEmbed> = { learnable: 'learnable', trigonometric: 'trigonometric', no_pos: 'none' };
const NORM: Record<string, NormMode> = { pre_norm: 'pre', post_norm: 'post', no_norm: 'none' };
const SOFTMAX: Record<string, SoftmaxMode> = { vanilla: 'vanilla', off1: 'off-by-one' };
const SPLIT: Record<string, Split> = { train: 'train', eval: 'eval' };

type Obj = Record<string, unknown>;

function fail(path: string, value: unknown, expected: string): never {
  const shown = typeof value === 'object' && value !== null ? (Array.isArray(value) ? 'an array' : 'an object') : JSON.stringify(value);
  throw new PlotError('BAD_INPUT', `original scores: ${path} is ${shown}; expected ${expected}.`);
}

function obj(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, value, 'an object');
  return value as Obj;
}

function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, value, 'an array');
  return value;
}

function int(o: Obj, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(`${path}.${key}`, v, 'an integer');
  return v;
}

function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}.${key}`, v, 'a string');
  return v;
}

function mapped<T>(o: Obj, key: string, path: string, table: Record<string, T>): T {
  const v = o[key];
  if (typeof v !== 'string' || !(v in table)) fail(`${path}.${key}`, v, `one of ${Object.keys(table).map((k) => JSON.stringify(k)).join(', ')}`);
  return table[v];
}

function matrix(value: unknown, path: string, heads: number): { layers: number; values: number[] } {
  const rows = arr(value, path);
  if (rows.length === 0) fail(path, value, 'a non-empty [layers][heads] array');
  const values: number[] = [];
  rows.forEach((row, l) => {
    const cells = arr(row, `${path}[${l}]`);
    if (cells.length !== heads) fail(`${path}[${l}]`, value, `${heads} values (one per head)`);
    cells.forEach((v, h) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}[${l}][${h}]`, v, 'a finite number');
      values.push(v);
    });
  });
  return { layers: rows.length, values };
}

/** Validates and normalises the published scores (parsed JSON or JSON text); BAD_INPUT names the bad field. */
export function parseOriginalScores(json: unknown): OriginalScores {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (cause) {
      throw new PlotError('BAD_INPUT', `original scores are not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const root = obj(value, 'root');
  const grid = obj(root.grid, 'grid');
  const numbers = (key: string): number[] =>
    arr(grid[key], `grid.${key}`).map((v, i) => (typeof v === 'number' ? v : fail(`grid.${key}[${i}]`, v, 'a number')));
  const names = <T>(key: string, table: Record<string, T>): T[] =>
    arr(grid[key], `grid.${key}`).map((_, i, a) => mapped({ v: a[i] }, 'v', `grid.${key}[${i}]`, table));

  const runs = arr(root.runs, 'runs').map((item, i): OriginalRun => {
    const p = `runs[${i}]`;
    const r = obj(item, p);
    const numHeads = int(r, 'heads', p);
    const m = matrix(r.scores, `${p}.scores`, numHeads);
    return {
      split: mapped(r, 'split', p, SPLIT),
      precision: mapped(r, 'precision', p, PRECISION),
      embedSize: int(r, 'embed', p),
      numHeads,
      posEmbed: mapped(r, 'pos', p, POS),
      norm: mapped(r, 'norm', p, NORM),
      softmax: mapped(r, 'softmax', p, SOFTMAX),
      seed: int(r, 'seed', p),
      file: str(r, 'file', p),
      layers: m.layers,
      heads: numHeads,
      values: m.values,
    };
  });

  const averages = arr(root.averages, 'averages').map((item, i): OriginalAverage => {
    const p = `averages[${i}]`;
    const a = obj(item, p);
    const numHeads = int(a, 'heads', p);
    const m = matrix(a.scores, `${p}.scores`, numHeads);
    const fixedKey = str(a, 'fixed', p);
    let fixed: FixedMode;
    if (fixedKey === 'pos') fixed = { key: 'posEmbed', value: mapped(a, 'fixed_value', p, POS) };
    else if (fixedKey === 'norm') fixed = { key: 'norm', value: mapped(a, 'fixed_value', p, NORM) };
    else fail(`${p}.fixed`, fixedKey, '"pos" or "norm"');
    const members = arr(a.members, `${p}.members`).map((f, j) => (typeof f === 'string' ? f : fail(`${p}.members[${j}]`, f, 'a file name')));
    return {
      split: mapped(a, 'split', p, SPLIT),
      precision: mapped(a, 'precision', p, PRECISION),
      embedSize: int(a, 'embed', p),
      numHeads,
      fixed,
      layers: m.layers,
      heads: numHeads,
      values: m.values,
      members,
      n: typeof a.n_members === 'number' ? a.n_members : members.length,
      file: str(a, 'file', p),
    };
  });

  const missing: OriginalMissing[] = [];
  const coverage = root.coverage === undefined ? {} : obj(root.coverage, 'coverage');
  for (const [key, entry] of Object.entries(coverage)) {
    const [split, precision] = key.split('/');
    if (!(split in SPLIT) || !(precision in PRECISION)) continue;
    const c = obj(entry, `coverage.${key}`);
    arr(c.missing ?? [], `coverage.${key}.missing`).forEach((item, i) => {
      const p = `coverage.${key}.missing[${i}]`;
      const m = obj(item, p);
      missing.push({
        split: SPLIT[split],
        precision: PRECISION[precision],
        embedSize: int(m, 'embed', p),
        numHeads: int(m, 'heads', p),
        posEmbed: mapped(m, 'pos', p, POS),
        norm: mapped(m, 'norm', p, NORM),
      });
    });
  }

  return {
    description: typeof root.description === 'string' ? root.description : '',
    grid: { embedSizes: numbers('embed'), headCounts: numbers('heads'), posEmbeds: names('pos', POS), norms: names('norm', NORM) },
    runs,
    averages,
    missing,
  };
}

/** Which published grid to draw. */
export interface OriginalGridSelection {
  precision: OriginalPrecision;
  split: Split;
  fixed: FixedMode;
}

/** Options of `originalGrid`. */
export interface OriginalGridOptions {
  /** 'averages': the published averages, as in its figures (default); 'runs': our mean of its per-run tables. */
  source?: 'averages' | 'runs';
  /** With source 'runs': only runs with this softmax (default 'vanilla'; the published averages mix in off-by-one runs). */
  softmax?: SoftmaxMode;
  rows?: readonly number[];
  cols?: readonly number[];
  title?: string;
}

/** A heatmap grid of the original's published scores for one of its figures. */
export function originalGrid(original: OriginalScores, selection: OriginalGridSelection, options: OriginalGridOptions = {}): HeatmapGrid {
  const { precision, split, fixed } = selection;
  const source = options.source ?? 'averages';
  const panels: HeatmapPanel[] = [];
  if (source === 'averages') {
    for (const a of original.averages) {
      if (a.precision !== precision || a.split !== split || a.fixed.key !== fixed.key || a.fixed.value !== fixed.value) continue;
      panels.push({ row: a.embedSize, col: a.numHeads, layers: a.layers, heads: a.heads, values: a.values, n: a.n, subtitle: `published · n=${a.n}` });
    }
  } else {
    const softmax = options.softmax ?? 'vanilla';
    const groups = new Map<string, OriginalRun[]>();
    for (const r of original.runs) {
      if (r.precision !== precision || r.split !== split || r.softmax !== softmax || r[fixed.key] !== fixed.value) continue;
      const key = `${r.embedSize}/${r.numHeads}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    for (const members of groups.values()) {
      const first = members[0];
      const values = first.values.map((_, i) => members.reduce((s, m) => s + m.values[i], 0) / members.length);
      panels.push({ row: first.embedSize, col: first.numHeads, layers: first.layers, heads: first.heads, values, n: members.length, subtitle: `n=${members.length}` });
    }
  }
  const other = fixed.key === 'posEmbed' ? 'norm modes' : 'positional modes';
  const label = precision === 'fp' ? 'FP' : '1-bit (frozen signs)';
  const rows = options.rows ?? original.grid.embedSizes;
  const cols = options.cols ?? original.grid.headCounts;
  const keep = new Set(rows.flatMap((r) => cols.map((c) => `${r}/${c}`)));
  return {
    title: options.title ?? `Original study · ${label} · ${split} · ${fixedLabel(fixed)}`,
    subtitle: [
      `published scores (one seed), ${source === 'averages' ? `its own averages over ${other}` : `mean over ${other}`}`,
      'aliased metric: a perfect induction head scores ~0.25 under it',
    ],
    rows,
    cols,
    panels: panels.filter((p) => keep.has(`${p.row}/${p.col}`)),
  };
}


/** What `loadOriginalScores` accepts: a file path, JSON text, the parsed JSON, or already parsed scores. */
export type OriginalScoresSource = string | OriginalScores | Record<string, unknown>;

const isParsed = (v: unknown): v is OriginalScores =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as OriginalScores).runs) &&
  Array.isArray((v as OriginalScores).grid?.embedSizes);

/** Loads the original's published scores from any `OriginalScoresSource`. */
export async function loadOriginalScores(source: OriginalScoresSource): Promise<OriginalScores> {
  if (isParsed(source)) return source;
  if (typeof source === 'string' && !source.trimStart().startsWith('{')) {
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (cause) {
      throw new PlotError('BAD_INPUT', `Cannot read original scores file ${source}: ${(cause as Error).message}`, { file: source, cause });
    }
    try {
      return parseOriginalScores(text);
    } catch (cause) {
      if (cause instanceof PlotError) throw new PlotError(cause.code, `${source}: ${cause.message}`, { file: source, cause });
      throw cause;
    }
  }
  return parseOriginalScores(source);
}
