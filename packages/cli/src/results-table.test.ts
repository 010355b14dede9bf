import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunScores } from '@ihc/induction-score';
import { resultRow, summaryTable, writeResults } from './results-table';
import { tempDir } from './test-helpers';

function scores(runId: string, seed: number, acc: number): RunScores {
  const table = (v: number) => ({ definition: 'target' as const, layers: 2, heads: 2, values: [0.1, 0.2, v, 0.3], sampleCount: 10, description: 'd' });
  const split = (name: 'train' | 'eval') => ({ split: name, copyAccuracy: acc, loss: 0.5, sampleCount: 10, scores: { target: table(0.9), token: { ...table(0.4), definition: 'token' as const } } });
  return {
    version: 1,
    config: { runId, embedSize: 16, numHeads: 2, numLayers: 2, norm: 'pre', posEmbed: 'learnable', precision: 'fp', softmax: 'vanilla', seed },
    steps: 10, seconds: 1.23, backend: 'wasm',
    splits: { train: split('train'), eval: split('eval') },
  };
}

describe('results tables', () => {
  it('flattens a run into one row with hyperparameters and every head', () => {
    const row = resultRow(scores('e16-h2-pre-learn-vanilla-fp-s1', 1, 1), { lr: 0.001, loss: 'target' });
    expect(row).toMatchObject({ runId: 'e16-h2-pre-learn-vanilla-fp-s1', lr: 0.001, loss: 'target', eval_copy_accuracy: 1, eval_target_L2H1: 0.9, eval_token_L2H1: 0.4, train_target_L1H2: 0.2 });
  });

  it('groups seeds, keeps other axes apart, and shows mean ± std', () => {
    const t = summaryTable([
      scores('e16-h2-pre-learn-vanilla-fp-s1-lossall', 1, 0.5),
      scores('e16-h2-pre-learn-vanilla-fp-s2-lossall', 2, 1),
      scores('e16-h2-pre-learn-vanilla-fp-s1-losstarget', 1, 1),
    ]);
    const lines = t.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/e16-h2-pre-learn-vanilla-fp-lossall\s+2\s+0\.750 ± 0\.354\s+0\.900 ± 0\.000/);
    expect(lines[2]).toMatch(/losstarget\s+1\s+1\.000 ± 0\.000/);
  });

  it('writes CSV and JSONL only from complete runs, ignoring corrupt ones', () => {
    const dir = tempDir();
    for (const [id, body] of [['a-s1', JSON.stringify(scores('a-s1', 1, 1))], ['b-s1', '{"truncated']] as const) {
      mkdirSync(join(dir, id));
      writeFileSync(join(dir, id, 'scores.json'), body);
    }
    const { rows } = writeResults(dir);
    expect(rows.map((r) => r.runId)).toEqual(['a-s1']);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
