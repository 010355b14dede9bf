import { blueCell, escapeHtml, inlineSvg } from './html';

describe('html helpers', () => {
  it('escapes text and attribute values', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('inlines SVG with prefixed ids, no namespace URLs and a label', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="2"><path fill="url(#gradient_0)"/><use href="#clip1"/><path fill="url(#other)"/><defs><linearGradient id="gradient_0"/><clipPath id="clip1"/></defs></svg>';
    const out = inlineSvg(svg, 'fig3-', 'A "title"');
    expect(out).toBe(
      '<svg role="img" aria-label="A &quot;title&quot;" width="2"><path fill="url(#fig3-gradient_0)"/><use href="#fig3-clip1"/><path fill="url(#other)"/><defs><linearGradient id="fig3-gradient_0"/><clipPath id="fig3-clip1"/></defs></svg>',
    );
    expect(out).not.toMatch(/https?:\/\//);
  });

  it('colours cells white to blue with readable text', () => {
    expect(blueCell(0)).toEqual({ background: 'rgb(247,251,255)', color: '#111' });
    expect(blueCell(1)).toEqual({ background: 'rgb(8,48,107)', color: '#fff' });
    expect(blueCell(2).background).toBe('rgb(8,48,107)');
    expect(blueCell(Number.NaN).background).toBe('#e4e4e4');
  });
});
