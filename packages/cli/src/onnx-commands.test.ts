import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, TINY } from './test-helpers';

describe('ihc export and ihc infer', () => {
  const cwd = tempDir();
  const runDir = join(cwd, 'run');

  beforeAll(async () => {
    const r = await runCli(['train', ...TINY, '--precision', '1bit', '--out', runDir], cwd);
    expect(r.code).toBe(0);
  }, 120000);

  it('exports a trained run to a bit-packed ONNX file', async () => {
    const r = await runCli(['export', runDir], cwd);
    expect(r.code).toBe(0);
    const file = join(runDir, 'model.onnx');
    expect(r.stdout.trim()).toBe(file);
    expect(existsSync(file)).toBe(true);
    const unpacked = join(cwd, 'unpacked.onnx');
    expect((await runCli(['export', runDir, '--no-pack', '--out', unpacked], cwd)).code).toBe(0);
    // at d 16 the packed kernels save 8 x (1024 - 32) bytes minus the unpacking nodes' overhead
    expect(statSync(unpacked).size - statSync(file).size).toBeGreaterThan(2000);
  });

  it('infers the next token with top-k probabilities and per-head scores', async () => {
    const text = 'g&icuwpxzohbcepeaikyfeejxaps&';
    const r = await runCli(['infer', join(runDir, 'model.onnx'), '--text', text, '--top-k', '3', '--json'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.provider).toBe('cpu');
    expect(out.topK).toHaveLength(3);
    const total = out.topK.reduce((a: number, t: { probability: number }) => a + t.probability, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(1 + 1e-6);
    expect(out.prediction).toBe(out.topK[0].token);
    expect(out.scores.target).toHaveLength(4);
    expect(out.scores.token).toHaveLength(4);
    const human = await runCli(['infer', join(runDir, 'model.onnx'), '--text', text], cwd);
    expect(human.stdout).toContain('prediction ');
    expect(human.stdout).toContain('layer 2:');
  });

  it('rejects symbols outside the vocabulary and runs without a checkpoint', async () => {
    const bad = await runCli(['infer', join(runDir, 'model.onnx'), '--text', 'ab#'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')).toHaveLength(2);
    const none = await runCli(['export', cwd], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/has no checkpoint/);
  });
});
