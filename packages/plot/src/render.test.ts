import * as vega from 'vega';
import { compileSpec, pngSize, renderPixels, renderPng, renderSvg, svgSize, type VegaLiteSpec } from './render';
import { inkPixels } from './test-helpers';
import { baseConfig } from './theme';

const bars = (title?: string): VegaLiteSpec =>
  ({
    ...(title ? { title } : {}),
    config: baseConfig(),
    width: 200,
    height: 100,
    data: { values: [{ a: 'x', b: 1 }, { a: 'y', b: 3 }] },
    mark: 'bar',
    encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
  }) as VegaLiteSpec;

describe('render', () => {
  let withTitle: string;
  let withoutTitle: string;
  beforeAll(async () => {
    withTitle = await renderSvg(bars('Induction scores'));
    withoutTitle = await renderSvg(bars());
  });

  it('renders vega-lite to an SVG in DejaVu Sans', () => {
    expect(withTitle.startsWith('<svg')).toBe(true);
    expect(withTitle).toContain('Induction scores');
    expect(withTitle).toContain('font-family="DejaVu Sans"');
    expect(svgSize(withTitle).width).toBeGreaterThan(200);
  });

  it('also renders a compiled vega spec', async () => {
    const svg = await renderSvg(compileSpec(bars('Compiled')));
    expect(svg).toContain('Compiled');
  });

  it('draws text: the title area has ink only when there is a title', () => {
    const a = renderPixels(withTitle, { scale: 1 });
    const b = renderPixels(withoutTitle, { scale: 1 });
    // the title occupies the top ~30 px of the titled figure, left of the plot's right edge
    const titled = inkPixels(a, { y0: 0, y1: 30 });
    expect(titled).toBeGreaterThan(150);
    // the same strip of the untitled figure holds only the top of the y axis (no glyph run)
    const untitled = inkPixels(b, { y0: 0, y1: 10 });
    expect(titled - untitled).toBeGreaterThan(150);
    expect(a.height).toBeGreaterThan(b.height);
  });

  it('writes a PNG whose IHDR size is the SVG size times the scale', () => {
    const { width, height } = svgSize(withTitle);
    const png = renderPng(withTitle, { scale: 2 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngSize(png)).toEqual({ width: Math.round(width * 2), height: Math.round(height * 2) });
    const pixels = renderPixels(withTitle, { scale: 1 });
    expect(inkPixels(pixels)).toBeGreaterThan(1000);
  });

  it('restores vega text metrics after rendering', () => {
    const metrics = (vega as unknown as { textMetrics: { width: unknown; estimateWidth: unknown; measureWidth: unknown } }).textMetrics;
    expect([metrics.estimateWidth, metrics.measureWidth]).toContain(metrics.width);
  });

  it('lays text out with the font widths, not vega estimates', async () => {
    // estimates are 0.8 em per character; DejaVu digits are 0.64 em: a long y-axis label
    // moves the plot left by the measured width, so the figure is narrower than estimated
    const spec = {
      config: baseConfig(),
      width: 50,
      height: 50,
      data: { values: [{ a: '0000000000000000000000', b: 1 }] },
      mark: 'bar',
      encoding: { y: { field: 'a', type: 'nominal', axis: { title: null, labelFontSize: 10, labelLimit: 1000 } }, x: { field: 'b', type: 'quantitative', axis: null } },
    } as VegaLiteSpec;
    const { width } = svgSize(await renderSvg(spec));
    const label = (22 * 10 * 1303) / 2048;
    expect(width).toBeLessThan(50 + label + 24 + 20); // measured label + padding
    expect(width).toBeLessThan(50 + 22 * 8); // the 0.8 em estimate alone would exceed this
  });

  it('throws typed errors for bad input', async () => {
    await expect(renderSvg(null as unknown as VegaLiteSpec)).rejects.toMatchObject({ code: 'BAD_OPTION' });
    await expect(renderSvg({ mark: 'nonsense' } as unknown as VegaLiteSpec)).rejects.toMatchObject({ code: 'RENDER_FAILED' });
    expect(() => renderPng('not svg')).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => renderPng(withTitle, { scale: 0 })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => pngSize(new Uint8Array(30))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
