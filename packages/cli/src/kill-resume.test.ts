/**
 * "Nothing lost": SIGKILL `ihc sweep` at several moments (startup, mid-training, while
 * scoring, between runs), then run it again until it finishes: every run must be
 * complete exactly once, with metrics that count each step once and valid scores.
 * Uses the built CLI (dist/bin.js), as a user would run it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRunScores } from '@ihc/induction-score';
import { tempDir, TINY } from './test-helpers';

const bin = resolve(__dirname, '..', 'dist', 'bin.js');

function killAfter(args: string[], ms: number): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}

describe('SIGKILL at any moment loses nothing', () => {
  it('finishes the grid with no run lost, duplicated or corrupted', async () => {
    expect(existsSync(bin)).toBe(true); // built by `turbo run test` (test depends on build)
    const cwd = tempDir();
    const out = join(cwd, 'sweep');
    const args = ['sweep', ...TINY.map((a) => (a === '20' ? '40' : a)), '--precision', 'fp,1bit', '--seeds', '1,2', '--out', out];
    // kill points spread over startup, training, scoring and the gaps between runs
    const delays = [300, 1500, 2500, 3500, 4500, 6000, 8000];
    let finished = false;
    for (const ms of delays) {
      const code = await killAfter(args, ms);
      if (code === 0) {
        finished = true;
        break;
      }
    }
    if (!finished) {
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const runs = readdirSync(out).filter((n) => n.startsWith('e16')).sort();
    expect(runs).toHaveLength(4);
    for (const id of runs) {
      const scores = parseRunScores(readFileSync(join(out, id, 'scores.json'), 'utf8'));
      expect(scores.steps).toBe(40);
      const steps = readFileSync(join(out, id, 'metrics.jsonl'), 'utf8').trim().split('\n')
        .map((l) => JSON.parse(l)).filter((l) => l.type === 'step').map((l) => l.step);
      expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(readdirSync(join(out, id)).filter((f) => f.includes('.tmp'))).toEqual([]);
    }
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => r.runId).sort()).toEqual(runs);
  }, 240000);

  it('runs several runs at once in child processes with --concurrency', () => {
    const cwd = tempDir();
    const out = join(cwd, 'sweep');
    const r = spawnSync(process.execPath, [bin, 'sweep', ...TINY.filter((a) => a !== '--quiet'), '--json', '--precision', 'fp,1bit', '--concurrency', '2', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const starts = events.filter((e) => e.type === 'run-start').map((e) => e.runIndex);
    expect(starts.sort()).toEqual([0, 1]);
    // progress of both children is relayed with their run index
    expect(new Set(events.filter((e) => e.type === 'step').map((e) => e.runIndex))).toEqual(new Set([0, 1]));
    for (const id of ['e16-h2-pre-learn-vanilla-fp-s1', 'e16-h2-pre-learn-vanilla-1bit-s1']) {
      expect(parseRunScores(readFileSync(join(out, id, 'scores.json'), 'utf8')).steps).toBe(20);
    }
  }, 120000);
});
