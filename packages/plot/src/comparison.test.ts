import { comparisonSpec } from './comparison';
import type { HeatmapGrid } from './heatmap-grid';
import { originalGrid, parseOriginalScores } from './original-scores';
import { originalFixture } from './test-fixtures';
import { renderSvg } from './render';
import { countMarkItems, svgTexts } from './test-helpers';

describe('comparisonSpec', () => {
  it("places our grid next to the original's for our configurations, each with its own colour bar", async () => {
    const ours: HeatmapGrid = {
      title: 'FP · eval · learnable positions, averaged over norm modes',
      rows: [64],
      cols: [2, 4],
      panels: [
        { row: 64, col: 2, layers: 2, heads: 2, values: [0.1, 0.1, 0.9, 0.2], n: 6, copyAccuracy: 0.99 },
        { row: 64, col: 4, layers: 2, heads: 4, values: Array(8).fill(0.3), n: 6, copyAccuracy: 0.98 },
      ],
    };
    const theirs = originalGrid(parseOriginalScores(originalFixture()), { precision: 'fp', split: 'eval', fixed: { key: 'posEmbed', value: 'learnable' } });
    const svg = await renderSvg(comparisonSpec(ours, theirs));
    const texts = svgTexts(svg);
    expect(texts).toContain('Ours');
    expect(texts).toContain('Original (published)');
    expect(texts).toContain('ours: induction score');
    expect(texts).toContain('original: aliased score');
    expect(svg).toContain('values from 0.0 to 1.0');
    expect(svg).toMatch(/values from 0\.00? to 0\.30?"/);
    expect(countMarkItems(svg, 'cell_ours_')).toBe(4 + 8);
    // the original ran (64, 2) but not (64, 4); its embed-128 row is not shown
    expect(countMarkItems(svg, 'cell_orig_')).toBe(4);
    expect(texts.filter((t) => t === 'not in original')).toHaveLength(1);
    expect(texts).not.toContain('embed 128 · 2 heads');
  });
});
