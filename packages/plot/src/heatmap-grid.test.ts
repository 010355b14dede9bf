import { type HeatmapGrid, headTicks, heatmapGridSpec } from './heatmap-grid';
import { renderSvg } from './render';
import { countMarkGroups, countMarkItems, svgTexts } from './test-helpers';

const panel = (row: number, col: number, layers = 2, fill = 0.5) => ({
  row,
  col,
  layers,
  heads: col,
  values: Array.from({ length: layers * col }, (_, i) => (i === 0 ? 0.9 : fill)),
  n: 3,
  copyAccuracy: row === 16 ? 0.25 : 0.97,
});

// 2 rows x 2 columns; (32, 4) has no run; one NaN cell in (32, 2)
const grid: HeatmapGrid = {
  title: 'FP · eval · learnable positions, averaged over norm modes',
  subtitle: 'mean over seeds',
  rows: [16, 32],
  cols: [2, 4],
  panels: [panel(16, 2), panel(16, 4), { ...panel(32, 2), values: [0.1, Number.NaN, 0.3, 0.4] }],
};

describe('heatmapGridSpec', () => {
  let svg: string;
  let warnings: string[];
  beforeAll(async () => {
    warnings = [];
    svg = await renderSvg(heatmapGridSpec(grid), { onWarning: (m) => warnings.push(m) });
  });

  it('compiles without vega-lite warnings', () => {
    expect(warnings).toEqual([]);
  });

  it('shows the titles, panel titles, copy accuracy, n and axis titles', () => {
    const texts = svgTexts(svg);
    expect(texts).toContain(grid.title);
    expect(texts).toContain('mean over seeds');
    for (const t of ['embed 16 · 2 heads', 'embed 16 · 4 heads', 'embed 32 · 2 heads', 'embed 32 · 4 heads']) expect(texts).toContain(t);
    expect(texts).toContain('copy acc 0.97 · n=3');
    expect(texts).toContain('copy acc 0.25 · n=3');
    expect(texts.filter((t) => t === 'layer')).toHaveLength(2); // first column only
    expect(texts.filter((t) => t === 'head')).toHaveLength(2); // bottom row only
    expect(texts).toContain('induction score');
  });

  it('draws one cell per layer x head of each present panel, NaN cells grey', () => {
    expect(countMarkGroups(svg, 'cell_')).toBe(3);
    // 2x2 + 2x4 + (2x2 - 1 NaN)
    expect(countMarkItems(svg, 'cell_')).toBe(4 + 8 + 3);
    expect(countMarkItems(svg, 'nodata_')).toBe(1);
  });

  it('draws the configuration without runs as missing, not as zeros', () => {
    expect(countMarkGroups(svg, 'cell_r1c1')).toBe(0);
    expect(countMarkItems(svg, 'missing_r1c1')).toBe(2 * 4);
    expect(svgTexts(svg).filter((t) => t === 'no run')).toHaveLength(1);
    expect(svg).toMatch(/missing_r1c1_marks[^>]*>\s*<path[^>]*fill="#e4e4e4"/);
  });

  it('uses a white-to-blue colour scale over the domain (0..1 by default)', () => {
    // the legend labels the domain's ends
    const texts = svgTexts(svg);
    expect(texts).toContain('0.0');
    expect(texts).toContain('1.0');
    expect(svg).toContain('values from 0.0 to 1.0');
    // gradient from Blues' white (#f7fbff) to its dark blue (#08306b)
    expect(svg).toMatch(/<stop offset="0" stop-color="rgb\(247, 251, 255\)"\/>/);
    expect(svg).toMatch(/<stop offset="1" stop-color="rgb\(8, 48, 107\)"\/>/);
  });

  it("accepts the original's 0..0.30 domain", async () => {
    const svg3 = await renderSvg(heatmapGridSpec(grid, { domain: [0, 0.3] }));
    expect(svg3).toContain('values from 0.00 to 0.30');
    expect(svgTexts(svg3)).not.toContain('1.0');
    // 0.9 is clamped to the darkest blue
    expect(svg3).toMatch(/value: 0\.9" [^>]*fill="rgb\(8, 48, 107\)"/);
  });

  it('marks low copy accuracy in red', () => {
    expect(svg).toMatch(/fill="#b2182b"[^>]*>copy acc 0\.25/);
  });

  it('prints values in cells when asked', async () => {
    const one: HeatmapGrid = { ...grid, rows: [16], cols: [2], panels: [panel(16, 2)] };
    const printed = await renderSvg(heatmapGridSpec(one, { showValues: true }));
    expect(countMarkItems(printed, 'value_')).toBe(4);
    expect(svgTexts(printed)).toContain('0.90');
  });

  it('rejects malformed grids', () => {
    expect(() => heatmapGridSpec({ ...grid, panels: [{ ...panel(16, 2), values: [1, 2, 3] }] })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('expected layers x heads = 4') }),
    );
    expect(() => heatmapGridSpec({ ...grid, rows: [] })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => heatmapGridSpec(grid, { domain: [1, 0] })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });

  it('labels every head up to 8, then every 2nd / 4th', () => {
    expect(headTicks(4)).toEqual([0, 1, 2, 3]);
    expect(headTicks(16)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(headTicks(32)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
  });
});
