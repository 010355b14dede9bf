import { InductionScoreError, describeValue } from './errors';
import {
  RUN_CONFIG_KEYS,
  parseRunScores,
  type RunConfigSummary,
  type RunScores,
} from './run-scores';

/** Mean, sample standard deviation (n - 1 denominator; 0 when n = 1) and count. */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

/** Per layer x head statistics of one score definition over a group's runs. */
export interface ScoreSummary {
  definition: 'target' | 'token';
  layers: number;
  heads: number;
  /** Row-major `[layers, heads]`. */
  mean: number[];
  /** Row-major `[layers, heads]`. */
  std: number[];
  /** Runs averaged. */
  n: number;
}

export interface SplitSummary {
  copyAccuracy: Stat;
  loss: Stat;
  scores: { target: ScoreSummary; token: ScoreSummary };
}

/** Runs sharing the values of every `groupBy` field. */
export interface RunGroup {
  /** The group's value of each `groupBy` field. */
  key: Partial<RunConfigSummary>;
  /** e.g. `"embedSize=64, numHeads=4"` (`"all"` when groupBy is empty). */
  label: string;
  n: number;
  runIds: string[];
  layers: number;
  heads: number;
  splits: { train: SplitSummary; eval: SplitSummary };
}

function stat(values: readonly number[]): Stat {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

function compareKeys(a: Partial<RunConfigSummary>, b: Partial<RunConfigSummary>, by: readonly (keyof RunConfigSummary)[]): number {
  for (const k of by) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

function summariseScores(runs: readonly RunScores[], split: 'train' | 'eval', definition: 'target' | 'token'): ScoreSummary {
  const first = runs[0].splits[split].scores[definition];
  const { layers, heads } = first;
  const mean: number[] = [];
  const std: number[] = [];
  for (let i = 0; i < layers * heads; i++) {
    const s = stat(runs.map((r) => r.splits[split].scores[definition].values[i]));
    mean.push(s.mean);
    std.push(s.std);
  }
  return { definition, layers, heads, mean, std, n: runs.length };
}

function summariseSplit(runs: readonly RunScores[], split: 'train' | 'eval'): SplitSummary {
  return {
    copyAccuracy: stat(runs.map((r) => r.splits[split].copyAccuracy)),
    loss: stat(runs.map((r) => r.splits[split].loss)),
    scores: {
      target: summariseScores(runs, split, 'target'),
      token: summariseScores(runs, split, 'token'),
    },
  };
}

/**
 * Groups runs by the given config fields and averages each group's copy accuracy,
 * loss and target/token score tables (per layer x head) over its runs, e.g.
 * `['precision', 'posEmbed', 'embedSize', 'numHeads']` averages over norms and
 * seeds. Each run is checked with `parseRunScores`. Groups are sorted by their key
 * (numbers ascending, strings in code-point order, fields in `groupBy` order).
 */
export function summariseRuns(
  runs: readonly RunScores[],
  groupBy: readonly (keyof RunConfigSummary)[],
): RunGroup[] {
  if (!Array.isArray(runs as unknown)) {
    throw new InductionScoreError('BAD_OPTION', `runs is ${describeValue(runs)}; expected an array of RunScores`);
  }
  if (!Array.isArray(groupBy as unknown)) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `groupBy is ${describeValue(groupBy)}; expected an array of ${RUN_CONFIG_KEYS.join(', ')}`,
    );
  }
  groupBy.forEach((k, i) => {
    if (!RUN_CONFIG_KEYS.includes(k)) {
      throw new InductionScoreError(
        'BAD_OPTION',
        `groupBy[${i}] is ${describeValue(k)}; expected one of ${RUN_CONFIG_KEYS.join(', ')}`,
      );
    }
    if (groupBy.indexOf(k) !== i) {
      throw new InductionScoreError('BAD_OPTION', `groupBy lists ${JSON.stringify(k)} twice`);
    }
  });
  const checked = runs.map((run, i) => parseRunScores(run, `runs[${i}]`));
  const groups = new Map<string, { key: Partial<RunConfigSummary>; runs: RunScores[] }>();
  for (const run of checked) {
    const key: Partial<RunConfigSummary> = {};
    for (const k of groupBy) (key as Record<string, unknown>)[k] = run.config[k];
    const id = JSON.stringify(groupBy.map((k) => run.config[k]));
    const g = groups.get(id);
    if (g) g.runs.push(run);
    else groups.set(id, { key, runs: [run] });
  }
  const out: RunGroup[] = [];
  for (const { key, runs: members } of groups.values()) {
    const { numLayers: layers, numHeads: heads } = members[0].config;
    const odd = members.find((r) => r.config.numLayers !== layers || r.config.numHeads !== heads);
    if (odd) {
      throw new InductionScoreError(
        'BAD_SHAPE',
        `runs ${JSON.stringify(members[0].config.runId)} (${layers} layers x ${heads} heads) and ` +
          `${JSON.stringify(odd.config.runId)} (${odd.config.numLayers} x ${odd.config.numHeads}) ` +
          `fall in one group but have different score shapes; add numHeads/numLayers to groupBy`,
      );
    }
    out.push({
      key,
      label: groupBy.length ? groupBy.map((k) => `${k}=${String(key[k])}`).join(', ') : 'all',
      n: members.length,
      runIds: members.map((r) => r.config.runId),
      layers,
      heads,
      splits: { train: summariseSplit(members, 'train'), eval: summariseSplit(members, 'eval') },
    });
  }
  return out.sort((a, b) => compareKeys(a.key, b.key, groupBy));
}
