import { attentionPatternSpec, toHeadMatrices } from './attention-pattern';
import { renderSvg } from './render';
import { countMarkItems, svgTexts } from './test-helpers';

/** Causal attention over T tokens: head 0 attends to the previous token, head 1 to the first. */
function causal(t: number): number[][][] {
  return [0, 1].map((h) =>
    Array.from({ length: t }, (_, q) => Array.from({ length: t }, (_, k) => (k > q ? 0 : h === 0 ? (k === Math.max(0, q - 1) ? 1 : 0) : k === 0 ? 1 : 0))),
  );
}

describe('attentionPatternSpec', () => {
  const tokens = ['a', '&', 'm', 'x', '&', 'm'];

  it('draws one query x key panel per head with tokens on both axes', async () => {
    const svg = await renderSvg(
      attentionPatternSpec({ attention: causal(6), tokens, title: 'Layer 1 attention', highlight: [{ query: 4, key: 2 }] }),
    );
    const texts = svgTexts(svg);
    expect(texts).toContain('Layer 1 attention');
    expect(texts).toContain('head 0');
    expect(texts).toContain('head 1');
    expect(texts.filter((t) => t === '&')).toHaveLength(2 * 2 * 2); // 2 heads x 2 axes x 2 occurrences
    expect(texts.filter((t) => t === 'query')).toHaveLength(2);
    expect(texts.filter((t) => t === 'key')).toHaveLength(2);
    // masked (future) cells are left blank: lower triangle only
    expect(countMarkItems(svg, 'attn_h0')).toBe((6 * 7) / 2);
    expect(countMarkItems(svg, 'highlight_h')).toBe(2);
  });

  it('accepts flat data with a [heads, T, T] shape and a head selection', async () => {
    const flat = new Float32Array(causal(6).flat(2));
    const svg = await renderSvg(attentionPatternSpec({ attention: { data: flat, shape: [2, 6, 6] }, tokens, heads: [1], headLabels: ['L1 H1'] }));
    expect(svgTexts(svg)).toContain('L1 H1');
    expect(countMarkItems(svg, 'attn_h1')).toBe(21);
    expect(countMarkItems(svg, 'attn_h0')).toBe(0);
  });

  it('normalises inputs and rejects bad ones with the shape in the message', () => {
    expect(toHeadMatrices([[1, 0], [0.5, 0.5]])).toEqual([[[1, 0], [0.5, 0.5]]]);
    expect(() => toHeadMatrices({ data: [1, 2, 3], shape: [2, 2] })).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('needs 4') }));
    expect(() => toHeadMatrices([[1, 0, 0], [1, 0, 0]])).toThrow(/not 2 x 2/);
    expect(() => toHeadMatrices([[Number.NaN]])).toThrow(/finite/);
    expect(() => attentionPatternSpec({ attention: causal(6), tokens: ['a'] })).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('6 tokens') }));
    expect(() => attentionPatternSpec({ attention: causal(6), tokens, heads: [5] })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => attentionPatternSpec({ attention: causal(6), tokens, highlight: [{ query: 9, key: 0 }] })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
