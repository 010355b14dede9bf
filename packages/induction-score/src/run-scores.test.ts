import { parseRunScores } from './run-scores';
import { makeRun, thrown } from './test-fixtures';

type Mutable = Record<string, unknown>;

function mutate(fn: (run: Mutable) => void): unknown {
  const run = JSON.parse(JSON.stringify(makeRun())) as Mutable;
  fn(run);
  return run;
}

const at = (obj: unknown, ...path: string[]): Mutable =>
  path.reduce((o, k) => (o as Mutable)[k], obj) as Mutable;

describe('parseRunScores', () => {
  it('accepts a valid object and its JSON text, dropping unknown fields', () => {
    const run = makeRun();
    expect(parseRunScores(run)).toEqual(run);
    const text = JSON.stringify({ ...run, extra: 1, config: { ...run.config, note: 'x' } });
    expect(parseRunScores(text)).toEqual(run);
  });

  it('returns a copy', () => {
    const run = makeRun();
    const parsed = parseRunScores(run);
    parsed.splits.train.scores.token.values[0] = 9;
    expect(run.splits.train.scores.token.values[0]).not.toBe(9);
  });

  it.each([
    ['not JSON', () => '{', 'BAD_VALUE', /scores.json is not valid JSON/],
    ['an array', () => [], 'BAD_VALUE', /scores.json: root is an array of length 0; expected an object/],
    ['version 2', () => mutate((r) => (r.version = 2)), 'BAD_VALUE', /version is 2; expected 1/],
    ['no config', () => mutate((r) => delete r.config), 'BAD_VALUE', /config is undefined; expected an object/],
    ['empty runId', () => mutate((r) => (at(r, 'config').runId = '')), 'BAD_VALUE', /config.runId is ""; expected a non-empty string/],
    ['bad norm', () => mutate((r) => (at(r, 'config').norm = 'layer')), 'BAD_VALUE', /config.norm is "layer"; expected one of "pre", "post", "none"/],
    ['bad precision', () => mutate((r) => (at(r, 'config').precision = '2bit')), 'BAD_VALUE', /config.precision is "2bit"/],
    ['zero heads', () => mutate((r) => (at(r, 'config').numHeads = 0)), 'BAD_VALUE', /config.numHeads is 0; expected an integer >= 1/],
    ['fractional seed', () => mutate((r) => (at(r, 'config').seed = 0.5)), 'BAD_VALUE', /config.seed is 0.5/],
    ['negative steps', () => mutate((r) => (r.steps = -1)), 'BAD_VALUE', /steps is -1; expected an integer >= 0/],
    ['NaN seconds', () => mutate((r) => (r.seconds = Number.NaN)), 'BAD_VALUE', /seconds is NaN/],
    ['no backend', () => mutate((r) => delete r.backend), 'BAD_VALUE', /backend is undefined; expected a string/],
    ['no eval split', () => mutate((r) => delete at(r, 'splits').eval), 'BAD_VALUE', /splits.eval is undefined; expected an object/],
    ['swapped split name', () => mutate((r) => (at(r, 'splits', 'eval').split = 'train')), 'BAD_VALUE', /splits.eval.split is "train"; expected "eval"/],
    ['accuracy above 1', () => mutate((r) => (at(r, 'splits', 'train').copyAccuracy = 1.2)), 'BAD_VALUE', /splits.train.copyAccuracy is 1.2; expected a finite number in \[0, 1\]/],
    ['wrong table definition', () => mutate((r) => (at(r, 'splits', 'train', 'scores', 'token').definition = 'target')), 'BAD_VALUE', /splits.train.scores.token.definition is "target"; expected "token"/],
    ['table heads differ from config', () => mutate((r) => (at(r, 'splits', 'eval', 'scores', 'target').heads = 4)), 'BAD_SHAPE', /splits.eval.scores.target.heads is 4; expected config.numHeads = 2/],
    ['too few values', () => mutate((r) => (at(r, 'splits', 'eval', 'scores', 'target').values = [0.1])), 'BAD_SHAPE', /values is an array of length 1; expected an array of layers x heads = 4 numbers/],
    ['null value', () => mutate((r) => ((at(r, 'splits', 'train', 'scores', 'target').values as unknown[])[2] = null)), 'BAD_VALUE', /splits.train.scores.target.values\[2\] is null; expected a finite score in \[0, 1\]/],
    ['missing description', () => mutate((r) => delete at(r, 'splits', 'train', 'scores', 'target').description), 'BAD_VALUE', /description is undefined/],
  ])('rejects %s', (_name, make, code, message) => {
    const e = thrown(() => parseRunScores(make()));
    expect(e.name).toBe('InductionScoreError');
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('prefixes messages with the source', () => {
    expect(thrown(() => parseRunScores(null, 'runs/a/b/scores.json')).message).toMatch(/^runs\/a\/b\/scores.json: root is null/);
  });
});
