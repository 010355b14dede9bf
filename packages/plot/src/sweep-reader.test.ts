import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSweep } from './sweep-reader';
import { makeSweep } from './test-fixtures';

describe('readSweep', () => {
  it('reads every complete run, validated, and reports incomplete ones', async () => {
    const { dir, runs } = makeSweep({
      norms: ['pre'],
      pos: ['learnable'],
      missing: [{ precision: '1bit', embedSize: 32, numHeads: 4 }],
      incomplete: [{ precision: 'fp', embedSize: 16, numHeads: 2, seed: 1 }],
    });
    mkdirSync(join(dir, 'figures')); // not a run directory: ignored
    writeFileSync(join(dir, 'sweep.json'), JSON.stringify({ embed: [16, 32] }));
    const sweep = await readSweep(dir);
    expect(sweep.runs).toHaveLength(runs.length);
    expect(runs.length).toBe(2 * 2 * 2 * 2 - 2 - 1);
    expect(sweep.runs.map((r) => r.runId)).toEqual([...sweep.runs.map((r) => r.runId)].sort());
    expect(sweep.incomplete).toEqual([{ runId: 'fp-e16-h2-pre-learnable-s1', dir: join(dir, 'fp-e16-h2-pre-learnable-s1'), reason: expect.stringContaining('no scores.json') }]);
    const first = sweep.runs[0];
    expect(first.scores.version).toBe(1);
    expect(first.config?.runId).toBe(first.runId);
    expect(first.metricsFile).toBe(join(first.dir, 'metrics.jsonl'));
    expect(sweep.grid).toEqual({ embed: [16, 32] });
    expect(sweep.name).toBe(dir.split('/').at(-1));
  });

  it('reads a single run directory as a one-run sweep', async () => {
    const { dir, runs } = makeSweep({ embeds: [16], heads: [2], norms: ['pre'], pos: ['none'], precisions: ['fp'], seeds: [0] });
    const sweep = await readSweep(join(dir, runs[0].config.runId));
    expect(sweep.runs).toHaveLength(1);
  });

  it('throws EMPTY_SWEEP for a missing or empty directory, or one with only incomplete runs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ihc-empty-'));
    await expect(readSweep(empty)).rejects.toMatchObject({ code: 'EMPTY_SWEEP', message: expect.stringContaining(empty) });
    await expect(readSweep(join(empty, 'nope'))).rejects.toMatchObject({ code: 'EMPTY_SWEEP', message: expect.stringContaining('does not exist') });
    const { dir } = makeSweep({ embeds: [16], heads: [2], norms: ['pre'], pos: ['none'], precisions: ['fp'], seeds: [0], incomplete: [{}] });
    await expect(readSweep(dir)).rejects.toMatchObject({ code: 'EMPTY_SWEEP', message: expect.stringContaining('1 run directory has no scores.json') });
  });

  it('throws CORRUPT_FILE naming the file for unparsable or invalid scores.json', async () => {
    const { dir, runs } = makeSweep({ embeds: [16], heads: [2], norms: ['pre'], pos: ['none'], precisions: ['fp'], seeds: [0, 1] });
    const file = join(dir, runs[1].config.runId, 'scores.json');
    writeFileSync(file, '{"version": 1, "config": ');
    await expect(readSweep(dir)).rejects.toMatchObject({ code: 'CORRUPT_FILE', file, message: expect.stringContaining(file) });
    const bad = JSON.parse(JSON.stringify(runs[1]));
    bad.splits.eval.scores.target.values[0] = 7;
    writeFileSync(file, JSON.stringify(bad));
    await expect(readSweep(dir)).rejects.toMatchObject({
      code: 'CORRUPT_FILE',
      file,
      message: expect.stringContaining('splits.eval.scores.target.values[0]'),
    });
    expect(readFileSync(file, 'utf8')).toContain('"version":1');
  });
});
