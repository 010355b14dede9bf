/**
 * The study's figure: a grid of small layer x head heatmaps, one panel per
 * (embed size, head count), rows = embed size, columns = head count, one shared colour
 * bar. Panels of configurations that have no run are drawn grey with "no run", never as
 * zeros; cells without a value (NaN) are drawn grey too.
 */
import { PlotError, badOption } from './errors';
import { fmt } from './labels';
import type { VegaLiteSpec } from './render';
import { BLUES, MISSING_FILL, MUTED_TEXT, WARNING_TEXT, baseConfig, colourScale } from './theme';

/** A row or column key of a grid: an embed size or head count, or a name (e.g. 'eval'). */
export type GridKey = number | string;

/** One small heatmap: the scores of one configuration. */
export interface HeatmapPanel {
  /** Row key (embed size). */
  row: GridKey;
  /** Column key (head count). */
  col: GridKey;
  layers: number;
  heads: number;
  /** Row-major `[layers, heads]`; a non-finite value means "no value" (drawn grey). */
  values: readonly number[];
  /** Sample standard deviation per cell over the averaged runs (optional). */
  std?: readonly number[];
  /** Runs averaged into this panel. */
  n: number;
  /** Mean copy accuracy of those runs, shown under the panel title. */
  copyAccuracy?: number;
  /** Replaces the generated subtitle ("copy acc 0.98 · n=6"). */
  subtitle?: string;
  /** Colours the subtitle as a warning (default: copy accuracy below `accuracyWarning`). */
  warn?: boolean;
}

/** Everything a grid figure shows. */
export interface HeatmapGrid {
  title: string;
  subtitle?: string | string[];
  /** Every row key, including rows without runs (embed sizes). */
  rows: readonly GridKey[];
  /** Every column key, including columns without runs (head counts). */
  cols: readonly GridKey[];
  panels: readonly HeatmapPanel[];
  /** Layers drawn in missing panels (default: the most layers of any panel, else 2). */
  layers?: number;
  /** Panel title from its keys (default: "embed 64 · 2 heads"). */
  panelTitle?: (row: GridKey, col: GridKey) => string;
}

/** Looks of a grid figure. */
export interface HeatmapGridOptions {
  /** Colour domain (default [0, 1]; the original study's figures used [0, 0.30]). Values outside are clamped. */
  domain?: [number, number];
  /** Colour stops, low to high, spread evenly over the domain (default: white to blue). */
  colours?: readonly string[];
  /** Colour-bar title (default 'induction score'). */
  legendTitle?: string;
  /** Width of each panel's plot area in pixels (default 150). */
  panelWidth?: number;
  /** Width of one head column in pixels; when set, panels are `heads * cellWidth` wide instead of `panelWidth`. */
  cellWidth?: number;
  /** Height of one layer row in pixels (default 18). */
  cellHeight?: number;
  /** Text in the panels of configurations without runs (default 'no run'). */
  missingLabel?: string;
  /** Copy accuracy below which a panel's subtitle is drawn in red (default 0.5; null: never). */
  accuracyWarning?: number | null;
  /** Print each cell's value in the cell (default: when panels have at most 8 heads and the grid has 1 row). */
  showValues?: boolean;
  /** Font family (default 'DejaVu Sans'). */
  font?: string;
}

/** The default panel title. */
export const defaultPanelTitle = (row: GridKey, col: GridKey): string => `embed ${row} · ${col} head${col === 1 ? '' : 's'}`;

/** Head indices labelled on the x axis: all up to 8 heads, else every 2nd/4th. */
export function headTicks(heads: number): number[] {
  const step = heads <= 8 ? 1 : heads <= 16 ? 2 : Math.ceil(heads / 8);
  const ticks: number[] = [];
  for (let h = 0; h < heads; h += step) ticks.push(h);
  return ticks;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function checkPanel(p: HeatmapPanel, index: number): void {
  const where = `panels[${index}] (row ${p.row}, col ${p.col})`;
  if (!Number.isInteger(p.layers) || p.layers < 1 || !Number.isInteger(p.heads) || p.heads < 1) {
    throw new PlotError('BAD_INPUT', `${where} has ${p.layers} layers x ${p.heads} heads; expected positive integers.`);
  }
  if (!Array.isArray(p.values) || p.values.length !== p.layers * p.heads) {
    throw new PlotError(
      'BAD_INPUT',
      `${where}.values has ${Array.isArray(p.values) ? p.values.length : 'no'} entries; expected layers x heads = ${p.layers * p.heads}.`,
    );
  }
}

/** The panels laid out as one vega-lite concat (no title/config); used by the grid and comparison figures. */
export function gridBody(grid: HeatmapGrid, options: HeatmapGridOptions = {}, namePrefix = ''): Record<string, unknown> {
  const domain = options.domain ?? [0, 1];
  if (!(Array.isArray(domain) && domain.length === 2 && domain[0] < domain[1])) {
    badOption('domain', domain, 'a [low, high] pair with low < high');
  }
  if (!Array.isArray(grid.rows) || grid.rows.length === 0 || !Array.isArray(grid.cols) || grid.cols.length === 0) {
    throw new PlotError('BAD_INPUT', 'A heatmap grid needs at least one row key and one column key.');
  }
  grid.panels.forEach(checkPanel);
  const colours = options.colours ?? BLUES;
  const width = options.panelWidth ?? 150;
  const cellHeight = options.cellHeight ?? 18;
  const missingLabel = options.missingLabel ?? 'no run';
  const warnBelow = options.accuracyWarning === undefined ? 0.5 : options.accuracyWarning;
  const titleOf = grid.panelTitle ?? defaultPanelTitle;
  const defaultLayers = grid.layers ?? Math.max(2, ...grid.panels.map((p) => p.layers));
  const byKey = new Map(grid.panels.map((p) => [`${p.row}/${p.col}`, p]));
  const showValues = options.showValues ?? false;
  const scale = colourScale(domain, colours);
  const legend = {
    title: options.legendTitle ?? 'induction score',
    orient: 'right',
    gradientLength: Math.max(120, Math.min(320, grid.rows.length * 70)),
  };

  const panels: Record<string, unknown>[] = [];
  grid.rows.forEach((row, ri) => {
    grid.cols.forEach((col, ci) => {
      const panel = byKey.get(`${row}/${col}`);
      const id = `${namePrefix}r${ri}c${ci}`;
      const heads = panel?.heads ?? (typeof col === 'number' ? col : Math.max(1, ...grid.panels.map((p) => p.heads)));
      const layers = panel?.layers ?? defaultLayers;
      const height = cellHeight * layers;
      const panelWidth = options.cellWidth ? options.cellWidth * heads : width;
      const x = {
        field: 'head',
        type: 'ordinal',
        scale: { domain: range(heads), paddingInner: 0, paddingOuter: 0 },
        axis: {
          title: ri === grid.rows.length - 1 ? 'head' : null,
          values: headTicks(heads),
          labelAngle: 0,
          labelFontSize: 8,
        },
      };
      const y = {
        field: 'layer',
        type: 'ordinal',
        scale: { domain: range(layers).reverse(), paddingInner: 0, paddingOuter: 0 },
        axis: ci === 0 ? { title: 'layer', labelFontSize: 8 } : { title: null, labels: false },
      };
      const layer: Record<string, unknown>[] = [];
      let subtitle: string;
      let warn = false;
      if (panel) {
        const cells = [];
        const empty = [];
        for (let l = 0; l < layers; l++) {
          for (let h = 0; h < heads; h++) {
            const v = panel.values[l * heads + h];
            if (Number.isFinite(v)) cells.push({ layer: l, head: h, value: v });
            else empty.push({ layer: l, head: h });
          }
        }
        layer.push({
          name: `cell_${id}`,
          data: { values: cells },
          mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
          encoding: { x, y, color: { field: 'value', type: 'quantitative', scale, legend } },
        });
        if (empty.length > 0) {
          layer.push({
            name: `nodata_${id}`,
            data: { values: empty },
            mark: { type: 'rect', fill: MISSING_FILL, stroke: 'white', strokeWidth: 0.5 },
            encoding: { x, y },
          });
        }
        if (showValues) {
          const [lo, hi] = domain;
          const dark = lo < 0 && hi > 0 ? `abs(datum.value) > ${0.6 * Math.max(-lo, hi)}` : `datum.value > ${lo + 0.55 * (hi - lo)}`;
          layer.push({
            name: `value_${id}`,
            data: { values: cells },
            mark: { type: 'text', fontSize: 8 },
            encoding: {
              x,
              y,
              text: { field: 'value', type: 'quantitative', format: '.2f' },
              color: { condition: { test: dark, value: 'white' }, value: 'black' },
            },
          });
        }
        const acc = panel.copyAccuracy;
        subtitle = panel.subtitle ?? `${acc === undefined ? '' : `copy acc ${fmt(acc)} · `}n=${panel.n}`;
        warn = panel.warn ?? (warnBelow !== null && acc !== undefined && acc < warnBelow);
      } else {
        const cells = [];
        for (let l = 0; l < layers; l++) for (let h = 0; h < heads; h++) cells.push({ layer: l, head: h });
        layer.push({
          name: `missing_${id}`,
          data: { values: cells },
          mark: { type: 'rect', fill: MISSING_FILL, stroke: MISSING_FILL },
          encoding: { x, y },
        });
        layer.push({
          name: `missinglabel_${id}`,
          data: { values: [{ label: missingLabel }] },
          mark: { type: 'text', fontSize: 10, color: MUTED_TEXT, align: 'center', baseline: 'middle' },
          encoding: { text: { field: 'label' }, x: { value: panelWidth / 2 }, y: { value: height / 2 } },
        });
        subtitle = 'n=0';
      }
      panels.push({
        width: panelWidth,
        height,
        title: {
          text: titleOf(row, col),
          subtitle,
          fontSize: 10,
          fontWeight: 'normal',
          subtitleFontSize: 9,
          subtitleColor: warn ? WARNING_TEXT : MUTED_TEXT,
          offset: 4,
          subtitlePadding: 2,
        },
        layer,
      });
    });
  });
  return {
    concat: panels,
    columns: grid.cols.length,
    spacing: { row: 14, column: 10 },
    resolve: { scale: { color: 'shared', x: 'independent', y: 'independent' }, legend: { color: 'shared' } },
  };
}

/** Vega-lite spec of a grid of layer x head heatmaps (rows = embed size, columns = head count). */
export function heatmapGridSpec(grid: HeatmapGrid, options: HeatmapGridOptions = {}): VegaLiteSpec {
  const body = gridBody(grid, options);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: grid.title, ...(grid.subtitle ? { subtitle: grid.subtitle } : {}) },
    config: baseConfig(options.font),
    ...body,
  } as unknown as VegaLiteSpec;
}
