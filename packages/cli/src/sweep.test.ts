import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunScores } from '@ihc/induction-score';
import { runCli, tempDir, TINY } from './test-helpers';

describe('ihc sweep (in-process, tiny grid)', () => {
  const cwd = tempDir();
  const out = join(cwd, 'runs', 'tiny');
  const argv = ['sweep', ...TINY, '--precision', 'fp,1bit', '--out', out];

  it('trains and scores every run, then writes results.jsonl and results.csv', async () => {
    const r = await runCli(argv, cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const runs = readdirSync(out).filter((n) => n.startsWith('e16'));
    expect(runs.sort()).toEqual(['e16-h2-pre-learn-vanilla-1bit-s1', 'e16-h2-pre-learn-vanilla-fp-s1']);
    for (const id of runs) {
      const scores = parseRunScores(readFileSync(join(out, id, 'scores.json'), 'utf8'));
      expect(scores.steps).toBe(20);
      expect(scores.splits.train.sampleCount).toBe(360);
      expect(scores.splits.eval.sampleCount).toBe(40);
      expect(scores.splits.eval.scores.target.values).toHaveLength(4);
      const config = JSON.parse(readFileSync(join(out, id, 'config.json'), 'utf8'));
      expect(config.backend).toBe('wasm');
      expect(config.versions['@ihc/cli']).toMatch(/^\d+\.\d+\.\d+/);
      const lines = readFileSync(join(out, id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.filter((l) => l.type === 'step').map((l) => l.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const evals = lines.filter((l) => l.type === 'eval');
      expect(evals.map((l) => l.step)).toEqual([10, 20]);
      expect(evals[0].target).toHaveLength(4);
      expect(existsSync(join(out, id, 'checkpoint', 'checkpoint.json'))).toBe(true);
    }
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toContain('eval_target_L2H2');
    expect(csv[0].split(',')).toEqual(expect.arrayContaining(['lr', 'loss', 'batchSize', 'posInit']));
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('skips complete runs when run again', async () => {
    const before = readFileSync(join(out, 'e16-h2-pre-learn-vanilla-fp-s1', 'scores.json'), 'utf8');
    const r = await runCli([...argv.filter((a) => a !== '--quiet'), '--json'], cwd);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'run-skip')).toHaveLength(2);
    expect(events.some((e) => e.type === 'step')).toBe(false);
    expect(readFileSync(join(out, 'e16-h2-pre-learn-vanilla-fp-s1', 'scores.json'), 'utf8')).toBe(before);
  });

  it('shards split the grid without overlap', async () => {
    const a = await runCli([...argv, '--shard', '0/2', '--dry-run'], cwd);
    const b = await runCli([...argv, '--shard', '1/2', '--dry-run'], cwd);
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    expect(b.stdout.trim().split('\n')).toHaveLength(1);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('restarts a run whose checkpoint is corrupt', async () => {
    const dir = join(cwd, 'runs', 'corrupt');
    const one = ['sweep', ...TINY, '--out', dir];
    // train the run, then remove its scores and damage its checkpoint: it must be detected and retrained
    expect((await runCli(one, cwd)).code).toBe(0);
    const runDir = join(dir, 'e16-h2-pre-learn-vanilla-fp-s1');
    const { rmSync, writeFileSync } = await import('node:fs');
    rmSync(join(runDir, 'scores.json'));
    const weights = join(runDir, 'checkpoint', 'checkpoint.safetensors');
    writeFileSync(weights, readFileSync(weights).subarray(0, 100));
    const r = await runCli([...one.filter((a) => a !== '--quiet'), '--json'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('checkpoint unusable');
    const steps = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'step');
    expect(steps.map((l) => l.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(existsSync(join(runDir, 'scores.json'))).toBe(true);
  });
});
