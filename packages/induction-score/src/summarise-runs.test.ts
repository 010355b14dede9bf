import { summariseRuns } from './summarise-runs';
import { makeRun, thrown } from './test-fixtures';

describe('summariseRuns', () => {
  const runs = [
    makeRun({ runId: 'a', embedSize: 128, norm: 'pre', seed: 0 }, 0.1, 0.2),
    makeRun({ runId: 'b', embedSize: 64, norm: 'pre', seed: 0 }, 0.2, 0.4),
    makeRun({ runId: 'c', embedSize: 64, norm: 'post', seed: 1 }, 0.4, 1),
    makeRun({ runId: 'd', embedSize: 64, norm: 'none', seed: 2 }, 0.6, 0.6),
  ];

  it('groups runs, averages over the other fields and sorts groups by key', () => {
    const groups = summariseRuns(runs, ['embedSize', 'numHeads']);
    expect(groups.map((g) => g.label)).toEqual(['embedSize=64, numHeads=2', 'embedSize=128, numHeads=2']);
    const [g64, g128] = groups;
    expect(g64.key).toEqual({ embedSize: 64, numHeads: 2 });
    expect(g64.n).toBe(3);
    expect(g64.runIds).toEqual(['b', 'c', 'd']);
    expect(g64).toMatchObject({ layers: 2, heads: 2 });
    // copy accuracy 0.4, 1, 0.6: mean 2/3, sample std sqrt(((0.4-2/3)^2 + (1/3)^2 + (0.6-2/3)^2) / 2)
    const acc = g64.splits.train.copyAccuracy;
    expect(acc.n).toBe(3);
    expect(acc.mean).toBeCloseTo(2 / 3, 10);
    expect(acc.std).toBeCloseTo(Math.sqrt(((0.4 - 2 / 3) ** 2 + (1 / 3) ** 2 + (0.6 - 2 / 3) ** 2) / 2), 10);
    // target values fill + i/100 with fill 0.2, 0.4, 0.6 -> mean 0.4 + i/100, std 0.2
    const target = g64.splits.eval.scores.target;
    expect(target).toMatchObject({ definition: 'target', layers: 2, heads: 2, n: 3 });
    target.mean.forEach((m, i) => expect(m).toBeCloseTo(0.4 + i / 100, 10));
    target.std.forEach((s) => expect(s).toBeCloseTo(0.2, 10));
    expect(g64.splits.train.scores.token.mean[0]).toBeCloseTo(0.7, 10);
    // a group of one has std 0
    expect(g128.n).toBe(1);
    expect(g128.splits.train.copyAccuracy).toEqual({ mean: 0.2, std: 0, n: 1 });
    expect(g128.splits.train.loss).toEqual({ mean: 1.5, std: 0, n: 1 });
  });

  it('sorts string keys and supports several fields', () => {
    const groups = summariseRuns(runs, ['norm', 'embedSize']);
    expect(groups.map((g) => g.label)).toEqual([
      'norm=none, embedSize=64',
      'norm=post, embedSize=64',
      'norm=pre, embedSize=64',
      'norm=pre, embedSize=128',
    ]);
  });

  it('puts every run in one group when groupBy is empty', () => {
    const [all, ...rest] = summariseRuns(runs, []);
    expect(rest).toHaveLength(0);
    expect(all.label).toBe('all');
    expect(all.n).toBe(4);
  });

  it('returns no groups for no runs', () => {
    expect(summariseRuns([], ['seed'])).toEqual([]);
  });

  it('refuses to average tables of different shapes', () => {
    const mixed = [...runs, makeRun({ runId: 'e', numHeads: 4 })];
    const e = thrown(() => summariseRuns(mixed, ['embedSize']));
    expect(e.code).toBe('BAD_SHAPE');
    expect(e.message).toMatch(/runs "b" \(2 layers x 2 heads\) and "e" \(2 x 4\).*add numHeads\/numLayers to groupBy/);
  });

  it('checks each run', () => {
    const bad = { ...makeRun(), version: 3 };
    const e = thrown(() => summariseRuns([makeRun(), bad as never], ['seed']));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.message).toMatch(/^runs\[1\]: version is 3/);
  });

  it.each([
    [['size'], /groupBy\[0\] is "size"; expected one of runId, embedSize/],
    [['seed', 'seed'], /groupBy lists "seed" twice/],
    ['seed', /groupBy is "seed"; expected an array/],
  ])('rejects groupBy %p', (groupBy, message) => {
    const e = thrown(() => summariseRuns(runs, groupBy as never));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toMatch(message);
  });

  it('rejects runs that are not an array', () => {
    expect(thrown(() => summariseRuns({} as never, [])).code).toBe('BAD_OPTION');
  });
});
