/**
 * Ours next to the original's published scores for the same configurations: two grids
 * side by side, each with its own colour bar (ours 0..1; the original's aliased metric
 * 0..0.30 as in its figures), original panels outside its grid drawn as missing.
 */
import { type HeatmapGrid, type HeatmapGridOptions, gridBody } from './heatmap-grid';
import type { VegaLiteSpec } from './render';
import { baseConfig } from './theme';

/** Options of `comparisonSpec`. */
export interface ComparisonOptions {
  /** Figure title (default: our grid's title, prefixed "Ours vs original"). */
  title?: string;
  subtitle?: string | string[];
  /** Colour domain of our scores (default [0, 1]). */
  oursDomain?: [number, number];
  /** Colour domain of the original's scores (default [0, 0.3], its figures' scale). */
  originalDomain?: [number, number];
  /** Show the original only for our rows/columns (default true). */
  sameConfigs?: boolean;
  /** Grid looks shared by both sides (panel width, cell height, font). */
  grid?: Omit<HeatmapGridOptions, 'domain' | 'legendTitle' | 'missingLabel'>;
}

/** Vega-lite spec placing our grid (left) next to the original's (right). */
export function comparisonSpec(ours: HeatmapGrid, original: HeatmapGrid, options: ComparisonOptions = {}): VegaLiteSpec {
  const same = options.sameConfigs ?? true;
  const theirs: HeatmapGrid = same ? { ...original, rows: ours.rows, cols: ours.cols } : original;
  const side = (grid: HeatmapGrid, title: string, body: Record<string, unknown>): Record<string, unknown> => ({
    title: { text: title, subtitle: grid.subtitle ?? [], fontSize: 13, subtitleFontSize: 10 },
    ...body,
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: options.title ?? `Ours vs original · ${ours.title}`,
      ...(options.subtitle ? { subtitle: options.subtitle } : {}),
    },
    config: baseConfig(options.grid?.font),
    hconcat: [
      side(
        ours,
        'Ours',
        gridBody(ours, { ...options.grid, domain: options.oursDomain ?? [0, 1], legendTitle: 'ours: induction score' }, 'ours_'),
      ),
      side(
        theirs,
        'Original (published)',
        gridBody(
          theirs,
          {
            ...options.grid,
            domain: options.originalDomain ?? [0, 0.3],
            legendTitle: 'original: aliased score',
            missingLabel: 'not in original',
            accuracyWarning: null,
          },
          'orig_',
        ),
      ),
    ],
    spacing: 40,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  } as unknown as VegaLiteSpec;
}
