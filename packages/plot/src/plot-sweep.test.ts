import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { plotSweep } from './plot-sweep';
import { pngSize, renderPixels, svgSize } from './render';
import { countMarkItems, inkPixels, svgTexts } from './test-helpers';
import { makeSweep } from './test-fixtures';

describe('plotSweep', () => {
  // embed 16, 32 x heads 2, 4 x pre/none norm x learnable pos x fp/1bit, one seed; 1-bit (32, 4) never ran
  const { dir } = makeSweep({
    norms: ['pre', 'none'],
    pos: ['learnable'],
    seeds: [0],
    missing: [{ precision: '1bit', embedSize: 32, numHeads: 4 }],
    stepPoints: 30,
  });
  let files: string[];
  const out = join(dir, 'figs');

  beforeAll(async () => {
    files = await plotSweep(dir, { out, format: 'both', splits: ['eval'], definitions: ['target'], kinds: ['grid', 'difference', 'curves'], scale: 1 });
  });

  it('writes every figure as SVG and PNG, atomically (no temp files left)', () => {
    // 14 runs: curves by precision only (per-run curves are drawn for at most 12 runs)
    const names = files.map((f) => relative(out, f)).sort();
    const stems = [
      'curves_by-precision',
      'diff_eval_fp-minus-1bit_target_norm-none',
      'diff_eval_fp-minus-1bit_target_norm-pre',
      'diff_eval_fp-minus-1bit_target_pos-learnable',
      'grid_eval_1bit_target_norm-none',
      'grid_eval_1bit_target_norm-pre',
      'grid_eval_1bit_target_pos-learnable',
      'grid_eval_fp_target_norm-none',
      'grid_eval_fp_target_norm-pre',
      'grid_eval_fp_target_pos-learnable',
    ];
    expect(names).toEqual(stems.flatMap((s) => [`${s}.png`, `${s}.svg`]).sort());
    expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('draws the missing 1-bit configuration as missing and labels the figure', () => {
    const svg = readFileSync(join(out, 'grid_eval_1bit_target_pos-learnable.svg'), 'utf8');
    const texts = svgTexts(svg);
    expect(texts).toContain('1-bit · eval · learnable positions, averaged over norm modes');
    expect(texts).toContain('no run');
    expect(countMarkItems(svg, 'cell_')).toBe(2 * (2 + 4 + 2));
    expect(countMarkItems(svg, 'missing_')).toBe(2 * 4);
    expect(texts.filter((t) => /^copy acc \d\.\d\d · n=2$/.test(t))).toHaveLength(3);
  });

  it('writes PNGs of the SVG size that decode to a non-blank image', () => {
    const svgFile = join(out, 'grid_eval_fp_target_norm-pre.svg');
    const svg = readFileSync(svgFile, 'utf8');
    const png = readFileSync(svgFile.replace(/\.svg$/, '.png'));
    const size = svgSize(svg);
    expect(pngSize(png)).toEqual({ width: Math.round(size.width), height: Math.round(size.height) });
    const image = renderPixels(svg, { scale: 1 });
    expect(inkPixels(image) / (image.width * image.height)).toBeGreaterThan(0.05);
  });

  it('rejects a bad format before reading anything', async () => {
    await expect(plotSweep(dir, { format: 'jpg' as 'png' })).rejects.toMatchObject({ code: 'BAD_OPTION' });
  });
});
