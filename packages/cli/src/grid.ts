import { CliError } from './errors';
import { runId, validateRunSpec, type RunSpec } from './run-spec';

/** A sweep grid: base values, plus axes whose lists are crossed in key order. */
export interface Grid {
  base: RunSpec;
  axes: Partial<{ [K in keyof RunSpec]: Array<RunSpec[K]> }>;
}

export interface PlannedRun {
  id: string;
  spec: RunSpec;
}

/**
 * Expands a grid into runs in a fixed, documented order: axes in the order of
 * AXIS_ORDER (then any others alphabetically), the last axis varying fastest.
 * Ids are unique; duplicates in an axis are rejected.
 */
export const AXIS_ORDER: readonly (keyof RunSpec)[] = [
  'precision', 'embedSize', 'numHeads', 'norm', 'posEmbed', 'softmax', 'seed',
];

export function expandGrid(grid: Grid): PlannedRun[] {
  const keys = (Object.keys(grid.axes) as (keyof RunSpec)[]).sort((a, b) => {
    const ia = AXIS_ORDER.indexOf(a);
    const ib = AXIS_ORDER.indexOf(b);
    if (ia >= 0 && ib >= 0) return ia - ib;
    if (ia >= 0) return -1;
    if (ib >= 0) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  for (const k of keys) {
    const values = grid.axes[k] as unknown[];
    if (!Array.isArray(values) || values.length === 0) throw new CliError(`sweep: axis ${k} has no values`);
    if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) {
      throw new CliError(`sweep: axis ${k} lists a value twice: ${JSON.stringify(values)}`);
    }
  }
  const varying = keys.filter((k) => (grid.axes[k] as unknown[]).length > 1);
  let specs: RunSpec[] = [{ ...grid.base }];
  for (const k of keys) {
    const values = grid.axes[k] as unknown[];
    const next: RunSpec[] = [];
    for (const s of specs) for (const v of values) next.push({ ...s, [k]: v } as RunSpec);
    specs = next;
  }
  const runs = specs.map((spec) => {
    // a grid crossing steps with epochs would be ambiguous; steps given on an axis win
    if (spec.steps !== undefined && spec.epochs !== undefined) {
      if ('epochs' in grid.axes) spec = { ...spec, steps: undefined };
      else spec = { ...spec, epochs: undefined };
    }
    validateRunSpec(spec);
    return { id: runId(spec, varying), spec };
  });
  const seen = new Set<string>();
  for (const r of runs) {
    if (seen.has(r.id)) throw new CliError(`sweep: two runs share the id ${r.id}`);
    seen.add(r.id);
  }
  return runs;
}

/** Parses `--shard i/N` (0 <= i < N, as Slurm array and Kubernetes indexed-Job indices are). */
export function parseShard(raw: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    throw new CliError(`ihc sweep: --shard must be i/N with 0 <= i < N (e.g. 0/4 ... 3/4), got '${raw}'`);
  }
  return { index, count };
}

/** The runs of one shard: every N-th run of the expanded grid, starting at i. Shards are disjoint and cover the grid. */
export function shardRuns<T>(runs: readonly T[], shard: { index: number; count: number }): T[] {
  return runs.filter((_, i) => i % shard.count === shard.index);
}
