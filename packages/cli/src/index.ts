export { main, VERSION } from './main';
export { CliError } from './errors';
export { COMMANDS } from './commands';
export type { Command, Io } from './command';
export { expandGrid, parseShard, shardRuns, type Grid, type PlannedRun } from './grid';
export { PRESETS, getPreset, type Preset } from './presets';
export { DEFAULT_RUN_SPEC, ORIGINAL_RUN_SPEC, runId, validateRunSpec, type RunSpec } from './run-spec';
