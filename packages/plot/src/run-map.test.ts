import { renderSvg } from './render';
import { describeRun, runMapSpec } from './run-map';
import { countMarkItems, svgTexts } from './test-helpers';
import { syntheticRunScores } from './test-fixtures';

describe('runMapSpec', () => {
  const run = syntheticRunScores({ precision: 'fp', embedSize: 64, numHeads: 4, norm: 'pre', posEmbed: 'learnable', seed: 3 });

  it('draws train/eval x target/token layer x head maps with values, accuracy and loss', async () => {
    const svg = await renderSvg(runMapSpec(run));
    const texts = svgTexts(svg);
    expect(texts).toContain(`Run ${run.config.runId}`);
    expect(texts).toContain(describeRun(run));
    for (const t of ['train split · target score', 'train split · token score', 'eval split · target score', 'eval split · token score']) expect(texts).toContain(t);
    expect(countMarkItems(svg, 'cell_')).toBe(4 * 2 * 4);
    expect(countMarkItems(svg, 'value_')).toBe(4 * 2 * 4);
    expect(texts).toContain(run.splits.eval.scores.target.values[4].toFixed(2));
    expect(texts.some((t) => t.startsWith(`copy acc ${run.splits.eval.copyAccuracy.toFixed(2)} · loss`))).toBe(true);
  });

  it('can show one split and definition, and drops values when cells get narrow', async () => {
    const wide = syntheticRunScores({ precision: '1bit', embedSize: 64, numHeads: 32, norm: 'none', posEmbed: 'none', seed: 0 });
    const svg = await renderSvg(runMapSpec(wide, { splits: ['eval'], definitions: ['token'] }));
    expect(countMarkItems(svg, 'cell_')).toBe(2 * 32);
    expect(countMarkItems(svg, 'value_')).toBe(0);
    expect(() => runMapSpec(run, { splits: ['test' as 'eval'] })).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
  });
});
