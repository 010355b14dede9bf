import { parseOriginalScores } from './original-scores';
import { fixedModes, sweepFigureSpecs } from './sweep-figures';
import { originalFixture, syntheticRunScores } from './test-fixtures';
import type { RunScores } from '@ihc/induction-score';

const runs: RunScores[] = [];
for (const precision of ['fp', '1bit', 'frozen-sign'] as const)
  for (const embedSize of [64])
    for (const numHeads of [2, 4])
      for (const norm of ['pre', 'none'] as const)
        for (const posEmbed of ['learnable'] as const) runs.push(syntheticRunScores({ precision, embedSize, numHeads, norm, posEmbed, seed: 0 }));

describe('sweepFigureSpecs', () => {
  it('makes a grid per precision x split x definition x mode, FP-minus-other differences and run maps', () => {
    expect(fixedModes(runs)).toEqual([
      { key: 'posEmbed', value: 'learnable' },
      { key: 'norm', value: 'pre' },
      { key: 'norm', value: 'none' },
    ]);
    const figures = sweepFigureSpecs(runs);
    const count = (kind: string) => figures.filter((f) => f.kind === kind).length;
    expect(count('grid')).toBe(3 * 2 * 2 * 3);
    expect(count('difference')).toBe(2 * 2 * 2 * 3);
    expect(count('run')).toBe(runs.length);
    expect(count('comparison')).toBe(0);
    const names = figures.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('grid_eval_frozen-sign_token_norm-pre');
    expect(names).toContain('diff_train_fp-minus-1bit_target_pos-learnable');
    expect(names).toContain(`runs/run_${runs[0].config.runId}`);
    expect(figures.find((f) => f.name === 'grid_eval_fp_target_pos-learnable')?.title).toBe('FP · eval · learnable positions, averaged over norm modes');
  });

  it("adds comparisons with the original's published scores for shared configurations (target only)", () => {
    const original = parseOriginalScores(originalFixture());
    const figures = sweepFigureSpecs(runs, { original, splits: ['eval'], runMaps: false, differences: false });
    const comparisons = figures.filter((f) => f.kind === 'comparison').map((f) => f.name);
    // the fixture publishes one average: eval FP (and its 1-bit counterparts) learnable
    expect(comparisons).toEqual([
      'compare-original_eval_fp_target_pos-learnable',
    ]);
  });

  it('splits figures by softmax when a sweep has both', () => {
    const both = [...runs, syntheticRunScores({ precision: 'fp', embedSize: 64, numHeads: 2, norm: 'pre', posEmbed: 'learnable', seed: 0, softmax: 'off-by-one' })];
    const names = sweepFigureSpecs(both, { splits: ['eval'], definitions: ['target'], runMaps: false }).map((f) => f.name);
    expect(names).toContain('grid_eval_fp_off-by-one_target_pos-learnable');
    expect(names).toContain('grid_eval_fp_vanilla_target_pos-learnable');
  });
});
