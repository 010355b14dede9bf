import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOriginalScores, originalGrid, parseOriginalScores } from './original-scores';
import { originalFixture } from './test-fixtures';

describe('parseOriginalScores', () => {
  it("normalises the original's names to ours", () => {
    const o = parseOriginalScores(originalFixture());
    expect(o.grid).toEqual({ embedSizes: [64, 128], headCounts: [2, 4], posEmbeds: ['learnable', 'trigonometric', 'none'], norms: ['pre', 'post', 'none'] });
    expect(o.runs[0]).toMatchObject({ split: 'eval', precision: 'fp', embedSize: 64, numHeads: 2, posEmbed: 'learnable', norm: 'pre', softmax: 'vanilla', layers: 2, heads: 2, values: [0.1, 0.1, 0.2, 0.2] });
    expect(o.runs[2].softmax).toBe('off-by-one');
    expect(o.runs[3].precision).toBe('1bit');
    expect(o.averages[0]).toMatchObject({ fixed: { key: 'posEmbed', value: 'learnable' }, n: 3 });
    expect(o.missing).toEqual([{ split: 'eval', precision: 'fp', embedSize: 128, numHeads: 4, posEmbed: 'none', norm: 'none' }]);
  });

  it('names the bad field', () => {
    const bad = originalFixture();
    (bad.runs as { precision: string }[])[1].precision = 'FP16';
    expect(() => parseOriginalScores(bad)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('runs[1].precision is "FP16"') }));
    const ragged = originalFixture();
    (ragged.runs as { scores: number[][] }[])[0].scores[1] = [0.1];
    expect(() => parseOriginalScores(ragged)).toThrow(/runs\[0\]\.scores\[1\]/);
    expect(() => parseOriginalScores('{not json')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => parseOriginalScores([])).toThrow(/root is an array/);
  });

  it('builds grids from the published averages or from its runs', () => {
    const o = parseOriginalScores(originalFixture());
    const published = originalGrid(o, { precision: 'fp', split: 'eval', fixed: { key: 'posEmbed', value: 'learnable' } });
    expect(published.rows).toEqual([64, 128]);
    expect(published.cols).toEqual([2, 4]);
    expect(published.panels).toHaveLength(1);
    expect(published.panels[0]).toMatchObject({ row: 64, col: 2, n: 3, values: [0.1, 0.1, 0.2, 0.2] });
    // our mean of its runs, vanilla softmax only (the published average mixes in an off-by-one run)
    const ours = originalGrid(o, { precision: 'fp', split: 'eval', fixed: { key: 'posEmbed', value: 'learnable' } }, { source: 'runs' });
    expect(ours.panels[0].n).toBe(2);
    expect(ours.panels[0].values[2]).toBeCloseTo(0.15, 12);
  });

  it('loads from a path, JSON text, parsed JSON or parsed scores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihc-orig-'));
    const file = join(dir, 'seed-scores.json');
    writeFileSync(file, JSON.stringify(originalFixture()));
    const a = await loadOriginalScores(file);
    expect(await loadOriginalScores(readFileSync(file, 'utf8'))).toEqual(a);
    expect(await loadOriginalScores(originalFixture())).toEqual(a);
    expect(await loadOriginalScores(a)).toBe(a);
    await expect(loadOriginalScores(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});

// The real published file, when this checkout has it next to the repository.
// the original's published scores, shipped in the repository (reference/README.md)
const REAL = join(__dirname, '../../../reference/original-seed-scores.json');
describe('the published seed-scores.json', () => {
  it('parses completely: 1160 runs, 768 averages, 16 missing configs per split x precision', () => {
    const o = parseOriginalScores(readFileSync(REAL, 'utf8'));
    expect(o.runs).toHaveLength(1160);
    expect(o.averages).toHaveLength(768);
    expect(o.missing).toHaveLength(64);
    const g = originalGrid(o, { precision: 'fp', split: 'eval', fixed: { key: 'posEmbed', value: 'learnable' } });
    expect(g.panels).toHaveLength(32);
    expect(Math.max(...g.panels.flatMap((p) => p.values))).toBeLessThan(0.35); // its aliased metric stays small
  });
});
