import { differenceGrid, differenceGridSpec } from './difference-grid';
import type { HeatmapGrid } from './heatmap-grid';
import { renderSvg } from './render';
import { countMarkItems, svgTexts } from './test-helpers';

const p = (row: number, col: number, v: number, acc: number) => ({ row, col, layers: 2, heads: col, values: Array(2 * col).fill(v), n: 2, copyAccuracy: acc });
const fp: HeatmapGrid = { title: 'fp', rows: [16, 32], cols: [2], panels: [p(16, 2, 0.9, 0.99), p(32, 2, 0.8, 0.98)] };
const onebit: HeatmapGrid = { title: '1bit', rows: [16, 32], cols: [2, 4], panels: [p(16, 2, 0.3, 0.5), p(16, 4, 0.3, 0.5)] };

describe('differenceGrid', () => {
  it('subtracts cell by cell where both sides have the configuration', () => {
    const d = differenceGrid(fp, onebit, { a: 'FP', b: '1-bit' });
    expect(d.rows).toEqual([16, 32]);
    expect(d.cols).toEqual([2, 4]);
    expect(d.panels).toHaveLength(1);
    expect(d.panels[0].values[0]).toBeCloseTo(0.6, 12);
    expect(d.panels[0].subtitle).toBe('acc FP 0.99 · 1-bit 0.50');
  });

  it('draws a diverging blue-white-red grid over -1..1 with missing panels where either side is missing', async () => {
    const svg = await renderSvg(differenceGridSpec(fp, onebit, { a: 'FP', b: '1-bit', title: 'FP minus 1-bit' }));
    const texts = svgTexts(svg);
    expect(texts).toContain('FP minus 1-bit');
    expect(texts).toContain('Δ score (FP − 1-bit)');
    expect(svg).toMatch(/values from −1(\.0)? to 1(\.0)?"/);
    expect(countMarkItems(svg, 'cell_')).toBe(4);
    expect(texts.filter((t) => t === 'not in both')).toHaveLength(3);
    // +0.6 is red, the scale's middle white
    const fill = /value: 0\.6\d*" [^>]*fill="rgb\((\d+), (\d+), (\d+)\)"/.exec(svg);
    const [r, g, b] = (fill?.slice(1) ?? []).map(Number);
    expect(r).toBeGreaterThan(200);
    expect(r - b).toBeGreaterThan(80);
    expect(r - g).toBeGreaterThan(60);
    expect(svg).toMatch(/<stop offset="0\.5" stop-color="rgb\(255, 255, 255\)"\/>/);
  });

  it('refuses panels of different shapes', () => {
    const other: HeatmapGrid = { ...onebit, panels: [{ ...p(16, 2, 0.1, 0.5), layers: 1, values: [0.1, 0.1] }] };
    expect(() => differenceGrid(fp, other, { a: 'A', b: 'B' })).toThrow(expect.objectContaining({ code: 'INCONSISTENT_RUNS' }));
  });
});
