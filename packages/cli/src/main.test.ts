import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from './commands';
import { runCli, tempDir } from './test-helpers';

describe('ihc', () => {
  const cwd = tempDir();

  it('prints help for itself and every command', async () => {
    const top = await runCli(['--help'], cwd);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) {
      expect(top.stdout).toContain(c.name);
      const r = await runCli([c.name, '--help'], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: ihc ${c.name}`);
    }
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    expect(await runCli(['--version'], cwd)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([
    [['frobnicate'], "ihc: unknown command 'frobnicate'; valid commands: reproduce, train, sweep, dataset, score, plot, report, export, infer"],
    [['train', '--embed-size', '10', '--num-heads', '3'], 'ihc train: embedSize 10 is not divisible by numHeads 3; valid head counts divide the embed size'],
    [['train', '--norm', 'middle'], "ihc train: --norm must be one of pre|post|none, got 'middle'"],
    [['train', '--embed_size', 'x'], "ihc train: --embed-size must be an integer >= 1, got 'x'"],
    [['sweep', '--shard', '5/2'], "ihc sweep: --shard must be i/N with 0 <= i < N (e.g. 0/4 ... 3/4), got '5/2'"],
    [['sweep', '--preset', 'huge'], "ihc sweep: unknown preset 'huge'; valid presets: quick, paper, smoke"],
    [['dataset', '--split', 'test'], "ihc dataset: --split must be one of train|eval|all, got 'test'"],
    [['score', '--attention', 'missing.json'], "ihc score: cannot read 'missing.json': no such file"],
    [['plot'], "ihc plot: expected one sweep directory, got 0 arguments; see 'ihc plot --help'"],
    [['infer', 'nope.onnx', '--text', 'a&b'], "ihc infer: no such model file 'nope.onnx'"],
  ])('bad input %j: one line on stderr, exit code 2', async (argv, message) => {
    const r = await runCli(argv, cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.stdout).toBe('');
  });

  it("reads the original's config.ini with its option names and values; flags override it", async () => {
    writeFileSync(join(cwd, 'config.ini'), '[model]\nembed_size = 16\nnum_head = 2\npos_embed = no_pos\nnorm_mode = post_norm\nsoftmax_mode = off1\n[train]\nlearning_rate = 3e-4\nsave_dir = ./out\n');
    const r = await runCli(['sweep', '-c', 'config.ini', '--seed', '7', '--dry-run'], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(cwd, 'runs', 'sweep', 'e16-h2-post-nopos-off1-fp-s7'));
  });

  it('dataset prints the sentences with their positions', async () => {
    const r = await runCli(['dataset', '--split', 'eval', '--limit', '3'], cwd);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.text).toHaveLength(30);
      expect(row.text[28]).toBe('&');
      expect(row.text[row.keyPos - 1]).toBe('&');
      expect(row.target).toBe(row.text[row.keyPos]);
      expect(row.queryPos).toBe(28);
    }
  });

  it('score reads JSON attention and prints per-head scores', async () => {
    // one sample, one head, 3 positions: tokens a b a; query 2 attends fully to key 1 (after the earlier 'a')
    writeFileSync(join(cwd, 'att.json'), JSON.stringify([[[[1, 0, 0], [0.5, 0.5, 0], [0, 1, 0]]]]));
    writeFileSync(join(cwd, 'tok.json'), JSON.stringify([[0, 1, 0]]));
    const r = await runCli(['score', '--attention', 'att.json', '--tokens', 'tok.json', '--definition', 'token'], cwd);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ definition: 'token', shape: [1], scores: [1], sampleCount: 1 });
  });
});
