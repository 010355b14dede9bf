/**
 * Difference grids: panel by panel, cell by cell, A minus B (e.g. FP minus 1-bit), on
 * a diverging blue-white-red scale over [-1, 1]. A panel is missing when either side
 * is missing or the two have different shapes.
 */
import { PlotError } from './errors';
import { type GridKey, type HeatmapGrid, type HeatmapGridOptions, type HeatmapPanel, heatmapGridSpec } from './heatmap-grid';
import { fmt } from './labels';
import type { VegaLiteSpec } from './render';
import { BLUE_WHITE_RED } from './theme';

/** Names of the two sides, for titles and subtitles. */
export interface DifferenceLabels {
  /** e.g. 'FP' */
  a: string;
  /** e.g. '1-bit' */
  b: string;
  title?: string;
  subtitle?: string | string[];
}

/** The grid of A - B over the union of both grids' rows and columns. */
export function differenceGrid(a: HeatmapGrid, b: HeatmapGrid, labels: DifferenceLabels): HeatmapGrid {
  const union = (x: readonly GridKey[], y: readonly GridKey[]): GridKey[] => {
    const keys = [...new Set([...x, ...y])];
    return keys.every((k) => typeof k === 'number') ? (keys as number[]).sort((p, q) => p - q) : keys;
  };
  const bByKey = new Map(b.panels.map((p) => [`${p.row}/${p.col}`, p]));
  const panels: HeatmapPanel[] = [];
  for (const pa of a.panels) {
    const pb = bByKey.get(`${pa.row}/${pa.col}`);
    if (!pb) continue;
    if (pa.layers !== pb.layers || pa.heads !== pb.heads) {
      throw new PlotError(
        'INCONSISTENT_RUNS',
        `Cannot subtract panel (row ${pa.row}, col ${pa.col}): ${pa.layers}x${pa.heads} vs ${pb.layers}x${pb.heads} (layers x heads).`,
      );
    }
    const accA = pa.copyAccuracy;
    const accB = pb.copyAccuracy;
    panels.push({
      row: pa.row,
      col: pa.col,
      layers: pa.layers,
      heads: pa.heads,
      values: pa.values.map((v, i) => v - pb.values[i]),
      n: Math.min(pa.n, pb.n),
      subtitle:
        accA !== undefined || accB !== undefined
          ? `acc ${labels.a} ${fmt(accA)} · ${labels.b} ${fmt(accB)}`
          : `n=${pa.n} / ${pb.n}`,
      warn: false,
    });
  }
  return {
    title: labels.title ?? `${labels.a} minus ${labels.b}`,
    subtitle: labels.subtitle ?? `red: ${labels.a} scores higher · blue: ${labels.b} scores higher`,
    rows: union(a.rows, b.rows),
    cols: union(a.cols, b.cols),
    panels,
    ...(a.panelTitle ? { panelTitle: a.panelTitle } : {}),
  };
}

/** Vega-lite spec of the A - B difference grid (diverging blue-white-red, domain [-1, 1]). */
export function differenceGridSpec(
  a: HeatmapGrid,
  b: HeatmapGrid,
  labels: DifferenceLabels,
  options: HeatmapGridOptions = {},
): VegaLiteSpec {
  return heatmapGridSpec(differenceGrid(a, b, labels), {
    domain: [-1, 1],
    colours: BLUE_WHITE_RED,
    legendTitle: `Δ score (${labels.a} − ${labels.b})`,
    missingLabel: 'not in both',
    ...options,
  });
}
