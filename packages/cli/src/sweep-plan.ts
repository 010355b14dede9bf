import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getString, parseIntOption, type ParsedValues } from './args';
import { CliError } from './errors';
import { expandGrid, parseShard, shardRuns, type Grid, type PlannedRun } from './grid';
import { getPreset } from './presets';
import { DEFAULT_RUN_SPEC, type RunSpec } from './run-spec';
import { applySpecFlags, readIniValues, recipeBase, SPEC_FLAGS } from './spec-options';

export interface SweepPlan {
  name: string;
  grid: Grid;
  runs: PlannedRun[];
  /** The runs of this shard. */
  mine: PlannedRun[];
  shard: { index: number; count: number };
}

const SPEC_KEYS = new Set<string>([...Object.values(SPEC_FLAGS).map((f) => f.key), ...Object.keys(DEFAULT_RUN_SPEC)]);

/** Reads a sweep grid file: `{ "name"?, "base"?: {RunSpec fields}, "axes": {field: [values]} }`. */
export function readGridFile(path: string, cwd: string): { name?: string; grid: Grid } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(cwd, path), 'utf8'));
  } catch (err) {
    throw new CliError(`ihc sweep: cannot read grid file '${path}': ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError(`ihc sweep: ${path}: expected a JSON object with "axes"`);
  const { name, base = {}, axes } = json as { name?: unknown; base?: unknown; axes?: unknown };
  if (typeof axes !== 'object' || axes === null || Array.isArray(axes)) throw new CliError(`ihc sweep: ${path}: "axes" must be an object of lists`);
  for (const [k, v] of [...Object.entries(base as object), ...Object.entries(axes as object)]) {
    if (!SPEC_KEYS.has(k)) throw new CliError(`ihc sweep: ${path}: unknown field '${k}'; valid fields: ${[...SPEC_KEYS].join(', ')}`);
    void v;
  }
  for (const [k, v] of Object.entries(axes as object)) {
    if (!Array.isArray(v)) throw new CliError(`ihc sweep: ${path}: axes.${k} must be a list`);
  }
  const b = { ...DEFAULT_RUN_SPEC, ...(base as Partial<RunSpec>) };
  if ('epochs' in (base as object) && !('steps' in (base as object))) b.steps = undefined;
  return { name: typeof name === 'string' ? name : undefined, grid: { base: b, axes: axes as Grid['axes'] } };
}

/**
 * Builds the sweep from `--preset`, `--grid FILE`, or the train flags with comma lists
 * (flags also override a preset's or file's base values and add axes).
 */
export function planSweep(values: ParsedValues, cwd: string): SweepPlan {
  const presetName = getString(values, 'preset');
  const gridFile = getString(values, 'grid');
  if (presetName && gridFile) throw new CliError('ihc sweep: give --preset or --grid, not both');
  let name = getString(values, 'name');
  let grid: Grid;
  if (presetName) {
    const preset = getPreset(presetName);
    grid = { base: { ...preset.grid.base }, axes: { ...preset.grid.axes } };
    name ??= preset.name;
  } else if (gridFile) {
    const file = readGridFile(gridFile, cwd);
    grid = file.grid;
    name ??= file.name;
  } else {
    grid = { base: recipeBase('sweep', getString(values, 'recipe')), axes: {} };
  }
  const configPath = getString(values, 'config');
  const merged = { ...(configPath ? readIniValues('sweep', configPath, cwd) : {}), ...values };
  const { spec, axes } = applySpecFlags('sweep', grid.base, merged, true);
  const seeds = getString(values, 'seeds');
  if (seeds !== undefined) {
    axes.seed = seeds.split(',').map((s) => parseIntOption('sweep', 'seeds', s.trim(), 0));
  }
  // a flag given once replaces that axis of a preset; given as a list it becomes the axis
  const finalAxes: Grid['axes'] = { ...grid.axes };
  for (const key of Object.keys(spec) as (keyof RunSpec)[]) {
    if (spec[key] !== grid.base[key] && key in finalAxes) delete finalAxes[key];
  }
  Object.assign(finalAxes, axes);
  const finalGrid: Grid = { base: spec, axes: finalAxes };
  const runs = expandGrid(finalGrid);
  const shard = parseShard(getString(values, 'shard') ?? '0/1');
  return { name: name ?? 'sweep', grid: finalGrid, runs, mine: shardRuns(runs, shard), shard };
}
