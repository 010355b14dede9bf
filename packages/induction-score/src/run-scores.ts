import { InductionScoreError, describeValue } from './errors';

/** Scores of one definition for one split: row-major `[layers, heads]`. */
export interface ScoreTable {
  definition: 'target' | 'token' | 'stripe';
  layers: number;
  heads: number;
  /** Row-major `[layers, heads]`. */
  values: number[];
  sampleCount: number;
  description: string;
}

export interface SplitScores {
  split: 'train' | 'eval';
  copyAccuracy: number;
  loss: number;
  sampleCount: number;
  scores: { target: ScoreTable; token: ScoreTable };
}

export interface RunConfigSummary {
  runId: string;
  embedSize: number;
  numHeads: number;
  numLayers: number;
  norm: 'pre' | 'post' | 'none';
  posEmbed: 'learnable' | 'trigonometric' | 'none';
  precision: 'fp' | '1bit' | '1.58bit' | 'frozen-sign';
  softmax: 'vanilla' | 'off-by-one';
  seed: number;
}

/** Contents of a run's `scores.json`. */
export interface RunScores {
  version: 1;
  config: RunConfigSummary;
  steps: number;
  seconds: number;
  backend: string;
  splits: { train: SplitScores; eval: SplitScores };
}

export const RUN_CONFIG_KEYS: readonly (keyof RunConfigSummary)[] = [
  'runId',
  'embedSize',
  'numHeads',
  'numLayers',
  'norm',
  'posEmbed',
  'precision',
  'softmax',
  'seed',
];

/** Score values may exceed 1 by float rounding only. */
const SCORE_SLACK = 1e-3;

type Obj = Record<string, unknown>;

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

class Reader {
  constructor(private readonly source: string) {}

  fail(path: string, value: unknown, expected: string, code: 'BAD_VALUE' | 'BAD_SHAPE' = 'BAD_VALUE'): never {
    throw new InductionScoreError(
      code,
      `${this.source}: ${path || 'root'} is ${describeValue(value)}; expected ${expected}`,
    );
  }

  object(value: unknown, path: string): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, value, 'an object');
    }
    return value as Obj;
  }

  string(obj: Obj, key: string, path: string, nonEmpty = false): string {
    const v = obj[key];
    if (typeof v !== 'string' || (nonEmpty && v.length === 0)) {
      this.fail(join(path, key), v, nonEmpty ? 'a non-empty string' : 'a string');
    }
    return v;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, allowed: readonly T[]): T {
    const v = obj[key];
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.fail(join(path, key), v, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return v as T;
  }

  integer(obj: Obj, key: string, path: string, min: number): number {
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      this.fail(join(path, key), v, `an integer >= ${min}`);
    }
    return v;
  }

  number(obj: Obj, key: string, path: string, min: number, max = Infinity): number {
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.fail(join(path, key), v, `a finite number in [${min}, ${max}]`);
    }
    return v;
  }
}

function readConfig(r: Reader, value: unknown): RunConfigSummary {
  const p = 'config';
  const c = r.object(value, p);
  return {
    runId: r.string(c, 'runId', p, true),
    embedSize: r.integer(c, 'embedSize', p, 1),
    numHeads: r.integer(c, 'numHeads', p, 1),
    numLayers: r.integer(c, 'numLayers', p, 1),
    norm: r.oneOf(c, 'norm', p, ['pre', 'post', 'none'] as const),
    posEmbed: r.oneOf(c, 'posEmbed', p, ['learnable', 'trigonometric', 'none'] as const),
    precision: r.oneOf(c, 'precision', p, ['fp', '1bit', '1.58bit', 'frozen-sign'] as const),
    softmax: r.oneOf(c, 'softmax', p, ['vanilla', 'off-by-one'] as const),
    seed: r.integer(c, 'seed', p, Number.MIN_SAFE_INTEGER),
  };
}

function readTable(
  r: Reader,
  value: unknown,
  path: string,
  definition: 'target' | 'token',
  config: RunConfigSummary,
): ScoreTable {
  const t = r.object(value, path);
  if (t.definition !== definition) r.fail(`${path}.definition`, t.definition, JSON.stringify(definition));
  const layers = r.integer(t, 'layers', path, 1);
  const heads = r.integer(t, 'heads', path, 1);
  if (layers !== config.numLayers) {
    r.fail(`${path}.layers`, layers, `config.numLayers = ${config.numLayers}`, 'BAD_SHAPE');
  }
  if (heads !== config.numHeads) {
    r.fail(`${path}.heads`, heads, `config.numHeads = ${config.numHeads}`, 'BAD_SHAPE');
  }
  const raw = t.values;
  if (!Array.isArray(raw) || raw.length !== layers * heads) {
    r.fail(`${path}.values`, raw, `an array of layers x heads = ${layers * heads} numbers (row-major)`, 'BAD_SHAPE');
  }
  const values = raw.map((v: unknown, i: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1 + SCORE_SLACK) {
      r.fail(`${path}.values[${i}]`, v, 'a finite score in [0, 1]');
    }
    return v;
  });
  return {
    definition,
    layers,
    heads,
    values,
    sampleCount: r.integer(t, 'sampleCount', path, 0),
    description: r.string(t, 'description', path),
  };
}

function readSplit(r: Reader, value: unknown, split: 'train' | 'eval', config: RunConfigSummary): SplitScores {
  const p = `splits.${split}`;
  const s = r.object(value, p);
  if (s.split !== split) r.fail(`${p}.split`, s.split, JSON.stringify(split));
  const scores = r.object(s.scores, `${p}.scores`);
  return {
    split,
    copyAccuracy: r.number(s, 'copyAccuracy', p, 0, 1),
    loss: r.number(s, 'loss', p, 0),
    sampleCount: r.integer(s, 'sampleCount', p, 0),
    scores: {
      target: readTable(r, scores.target, `${p}.scores.target`, 'target', config),
      token: readTable(r, scores.token, `${p}.scores.token`, 'token', config),
    },
  };
}

/**
 * Checks a parsed `scores.json` (or its JSON text) against {@link RunScores} and
 * returns a clean copy holding only the known fields. Throws
 * `InductionScoreError` (`BAD_VALUE`, or `BAD_SHAPE` for table sizes that do not
 * match the config) naming the bad field. `source` prefixes error messages.
 */
export function parseRunScores(json: unknown, source = 'scores.json'): RunScores {
  const r = new Reader(source);
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (e) {
      throw new InductionScoreError(
        'BAD_VALUE',
        `${source} is not valid JSON (${(e as Error).message}); expected a RunScores object`,
      );
    }
  }
  const root = r.object(value, '');
  if (root.version !== 1) r.fail('version', root.version, '1');
  const config = readConfig(r, root.config);
  const splits = r.object(root.splits, 'splits');
  return {
    version: 1,
    config,
    steps: r.integer(root, 'steps', '', 0),
    seconds: r.number(root, 'seconds', '', 0),
    backend: r.string(root, 'backend', ''),
    splits: {
      train: readSplit(r, splits.train, 'train', config),
      eval: readSplit(r, splits.eval, 'eval', config),
    },
  };
}
