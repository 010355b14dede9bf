import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunScores } from '@ihc/induction-score';
import { describeNative } from '../../native/src/test-native';
import { runCli, tempDir, TINY } from './test-helpers';

const NATIVE = [...TINY.filter((a, i) => a !== 'wasm' && TINY[i + 1] !== 'wasm'), '--backend', 'native'];

describeNative('ihc train --backend native', () => {
  it('trains with the native step, evaluates and scores on wasm, and records backend native', async () => {
    const cwd = tempDir();
    const out = join(cwd, 'run');
    const r = await runCli(['train', ...NATIVE, '--precision', '1bit', '--out', out], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.backend).toBe('native');
    const scores = parseRunScores(readFileSync(join(out, 'scores.json'), 'utf8'));
    expect(scores.steps).toBe(20);
    expect(scores.splits.eval.scores.target.values).toHaveLength(4);
    const steps = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'step');
    expect(steps.map((l) => l.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(steps[19].loss).toBeLessThan(steps[0].loss);
  });

  it('takes IHC_BACKEND=native for auto', async () => {
    const cwd = tempDir();
    const out = join(cwd, 'run');
    const auto = NATIVE.slice(0, -2);
    process.env.IHC_BACKEND = 'native';
    try {
      const r = await runCli(['train', ...auto, '--out', out], cwd);
      expect(r.code).toBe(0);
    } finally {
      delete process.env.IHC_BACKEND;
    }
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).backend).toBe('native');
  });
});
