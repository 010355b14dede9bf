import { gridFromRuns, gridKeys } from './sweep-grids';
import { syntheticRunScores } from './test-fixtures';
import type { RunScores } from '@ihc/induction-score';

const runs: RunScores[] = [];
for (const precision of ['fp', '1bit'] as const)
  for (const embedSize of [16, 32])
    for (const numHeads of [2, 4])
      for (const norm of ['pre', 'post', 'none'] as const)
        for (const posEmbed of ['learnable', 'none'] as const)
          for (const seed of [0, 1]) {
            if (precision === '1bit' && embedSize === 32 && numHeads === 4 && posEmbed === 'learnable') continue; // missing config
            runs.push(syntheticRunScores({ precision, embedSize, numHeads, norm, posEmbed, seed }));
          }

describe('gridFromRuns', () => {
  it('keeps every embed size and head count of the sweep as rows and columns', () => {
    expect(gridKeys(runs)).toEqual({ rows: [16, 32], cols: [2, 4] });
  });

  it('averages over seeds and the other mode; n counts the runs', () => {
    const grid = gridFromRuns(runs, { precision: 'fp', split: 'eval', definition: 'target', fixed: { key: 'posEmbed', value: 'learnable' } });
    expect(grid.panels).toHaveLength(4);
    const p = grid.panels.find((x) => x.row === 32 && x.col === 4);
    const members = runs.filter((r) => r.config.precision === 'fp' && r.config.embedSize === 32 && r.config.numHeads === 4 && r.config.posEmbed === 'learnable');
    expect(members).toHaveLength(6); // 3 norms x 2 seeds
    expect(p?.n).toBe(6);
    const mean = (f: (r: RunScores) => number): number => members.reduce((s, r) => s + f(r), 0) / members.length;
    expect(p?.values[5]).toBeCloseTo(mean((r) => r.splits.eval.scores.target.values[5]), 12);
    expect(p?.copyAccuracy).toBeCloseTo(mean((r) => r.splits.eval.copyAccuracy), 12);
    expect(grid.title).toBe('FP · eval · learnable positions, averaged over norm modes');
    expect(grid.subtitle).toEqual([
      'induction score: target (last & → token after first &)',
      'mean over pre-norm, post-norm, no norm and 2 seeds; n = runs per panel',
    ]);
  });

  it('leaves configurations without runs out, so they are drawn as missing', () => {
    const grid = gridFromRuns(runs, { precision: '1bit', split: 'train', definition: 'token', fixed: { key: 'posEmbed', value: 'learnable' } });
    expect(grid.rows).toEqual([16, 32]);
    expect(grid.cols).toEqual([2, 4]);
    expect(grid.panels.map((p) => `${p.row}/${p.col}`).sort()).toEqual(['16/2', '16/4', '32/2']);
  });

  it('averages over positional modes when a norm mode is fixed', () => {
    const grid = gridFromRuns(runs, { precision: '1bit', split: 'eval', definition: 'target', fixed: { key: 'norm', value: 'pre' } });
    expect(grid.panels.find((p) => p.row === 32 && p.col === 4)?.n).toBe(2); // only 'none' positions ran
    expect(grid.panels.find((p) => p.row === 16 && p.col === 2)?.n).toBe(4);
    expect(grid.title).toContain('pre-norm, averaged over positional modes');
  });

  it('refuses to average runs with different layer counts into one panel', () => {
    const odd = syntheticRunScores({ precision: 'fp', embedSize: 16, numHeads: 2, norm: 'pre', posEmbed: 'learnable', seed: 9, numLayers: 3 });
    expect(() => gridFromRuns([...runs, odd], { precision: 'fp', split: 'eval', definition: 'target', fixed: { key: 'posEmbed', value: 'learnable' } })).toThrow(
      expect.objectContaining({ code: 'INCONSISTENT_RUNS', message: expect.stringContaining('2 and 3 layers') }),
    );
  });

  it('rejects a bad selection', () => {
    expect(() => gridFromRuns(runs, { precision: 'fp', split: 'test' as 'eval', definition: 'target', fixed: { key: 'norm', value: 'pre' } })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION', message: expect.stringContaining('"test"') }),
    );
  });
});
