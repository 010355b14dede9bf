import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDefaultFontFile, loadFontMetrics, measureText, resolveFonts } from './fonts';

describe('fonts', () => {
  it('finds DejaVu Sans from the dejavu-fonts-ttf package', () => {
    const file = findDefaultFontFile();
    expect(file).toMatch(/dejavu-fonts-ttf[\\/]ttf[\\/]DejaVuSans\.ttf$/);
    const fonts = resolveFonts();
    expect(fonts.family).toBe('DejaVu Sans');
    expect(fonts.regular).toBe(file);
    expect(fonts.bold).toMatch(/DejaVuSans-Bold\.ttf$/);
    expect(fonts.files).toEqual([fonts.regular, fonts.bold]);
  });

  it('reads advance widths from the font', () => {
    const m = loadFontMetrics(findDefaultFontFile());
    expect(m.unitsPerEm).toBe(2048);
    expect(m.advance('W'.codePointAt(0) as number)).toBeGreaterThan(m.advance('i'.codePointAt(0) as number));
    // DejaVu Sans digits are 1303/2048 em wide
    expect(m.advance('0'.codePointAt(0) as number)).toBeCloseTo(1303 / 2048, 6);
    expect(measureText(m, '00', 10)).toBeCloseTo((2 * 10 * 1303) / 2048, 6);
    const bold = loadFontMetrics(resolveFonts().bold as string);
    expect(measureText(bold, 'Title', 12)).toBeGreaterThan(measureText(m, 'Title', 12));
  });

  it('accepts an explicit font file and names its family', () => {
    const fonts = resolveFonts({ fontFile: resolveFonts().bold });
    expect(fonts.family).toBe('DejaVu Sans');
    expect(fonts.files).toHaveLength(1);
  });

  it('throws FONT_NOT_FOUND for a missing or unreadable font', () => {
    expect(() => resolveFonts({ fontFile: '/nonexistent/font.ttf' })).toThrow(
      expect.objectContaining({ code: 'FONT_NOT_FOUND', message: expect.stringContaining('/nonexistent/font.ttf') }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'ihc-font-'));
    const junk = join(dir, 'junk.ttf');
    writeFileSync(junk, 'not a font at all, just text');
    expect(() => loadFontMetrics(junk)).toThrow(expect.objectContaining({ code: 'FONT_NOT_FOUND' }));
  });
});
