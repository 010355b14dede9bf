import { expandGrid, parseShard, shardRuns } from './grid';
import { CliError } from './errors';
import { DEFAULT_RUN_SPEC, runId } from './run-spec';
import { getPreset } from './presets';

describe('expandGrid', () => {
  it('crosses axes in a fixed order with unique readable ids', () => {
    const runs = expandGrid({ base: { ...DEFAULT_RUN_SPEC }, axes: { seed: [1, 2], precision: ['fp', '1bit'], embedSize: [16, 32] } });
    expect(runs).toHaveLength(8);
    expect(runs[0].id).toBe('e16-h4-pre-learn-vanilla-fp-s1');
    expect(runs[1].id).toBe('e16-h4-pre-learn-vanilla-fp-s2');
    expect(runs[7].id).toBe('e32-h4-pre-learn-vanilla-1bit-s2');
    expect(new Set(runs.map((r) => r.id)).size).toBe(8);
  });
  it('appends varying non-core fields to ids', () => {
    const runs = expandGrid({ base: { ...DEFAULT_RUN_SPEC }, axes: { lr: [0.001, 0.0003] } });
    expect(runs.map((r) => r.id)).toEqual(['e64-h4-pre-learn-vanilla-fp-s1-lr0.001', 'e64-h4-pre-learn-vanilla-fp-s1-lr0.0003']);
  });
  it('rejects duplicate axis values and invalid combinations', () => {
    expect(() => expandGrid({ base: { ...DEFAULT_RUN_SPEC }, axes: { seed: [1, 1] } })).toThrow(/lists a value twice/);
    expect(() => expandGrid({ base: { ...DEFAULT_RUN_SPEC }, axes: { numHeads: [3] } })).toThrow(/not divisible by numHeads 3/);
  });
  it('expands the paper preset to the 576 trainings of the original', () => {
    const runs = expandGrid(getPreset('paper').grid);
    expect(runs).toHaveLength(576);
    expect(runs[0].spec).toMatchObject({ lr: 3e-4, epochs: 500, loss: 'all', posInit: 'ones' });
  });
  it('quick preset has three seeds of fp, 1bit, 1.58bit and frozen-sign', () => {
    const runs = expandGrid(getPreset('quick').grid);
    expect(runs.map((r) => `${r.spec.precision}/${r.spec.seed}`)).toEqual([
      'fp/1', 'fp/2', 'fp/3', '1bit/1', '1bit/2', '1bit/3', '1.58bit/1', '1.58bit/2', '1.58bit/3', 'frozen-sign/1', 'frozen-sign/2', 'frozen-sign/3',
    ]);
  });
});

describe('shards', () => {
  it('parses i/N and rejects the rest', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(CliError);
    expect(() => parseShard('1-4')).toThrow("--shard must be i/N with 0 <= i < N (e.g. 0/4 ... 3/4), got '1-4'");
  });
  it('are disjoint and cover the grid', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const shards = [0, 1, 2, 3].map((index) => shardRuns(items, { index, count: 4 }));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(items);
  });
});

describe('runId', () => {
  it('spells none modes unambiguously', () => {
    expect(runId({ ...DEFAULT_RUN_SPEC, norm: 'none', posEmbed: 'none', softmax: 'off-by-one', precision: 'frozen-sign' })).toBe('e64-h4-nonorm-nopos-off1-frozen-s1');
  });
});
