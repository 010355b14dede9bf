import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getString, normalizeArgv, normalizeValue, parseChoice, parseFloatOption, parseIntOption, splitList, type OptionSpecs, type ParsedValues } from './args';
import { CliError } from './errors';
import { parseIni } from './ini';
import {
  DEFAULT_RUN_SPEC, LOSSES, NORMS, ORIGINAL_RUN_SPEC, POS_EMBEDS, POS_INITS, PRECISIONS, SCALINGS, SCHEDULES, SOFTMAXES,
  type RunSpec,
} from './run-spec';

type Parser = (command: string, flag: string, raw: string) => RunSpec[keyof RunSpec];

interface SpecFlag {
  key: keyof RunSpec;
  value: string;
  help: string;
  parse: Parser;
}

const int = (min: number): Parser => (c, f, raw) => parseIntOption(c, f, raw, min);
const num = (min: number, exclusive = false): Parser => (c, f, raw) => parseFloatOption(c, f, raw, min, exclusive);
const choice = (valid: readonly string[]): Parser => (c, f, raw) => parseChoice(c, f, raw, valid) as RunSpec[keyof RunSpec];

/** Every flag that sets a field of a run, as `ihc train` and `ihc sweep` spell it. */
export const SPEC_FLAGS: Readonly<Record<string, SpecFlag>> = {
  'embed-size': { key: 'embedSize', value: 'N', help: 'model width d', parse: int(1) },
  'num-heads': { key: 'numHeads', value: 'N', help: 'attention heads (must divide the embed size)', parse: int(1) },
  'num-layers': { key: 'numLayers', value: 'N', help: 'attention layers', parse: int(1) },
  'pos-embed': { key: 'posEmbed', value: POS_EMBEDS.join('|'), help: 'positional encoding (original: no_pos, learnable, trigonometric)', parse: choice(POS_EMBEDS) },
  'pos-init': { key: 'posInit', value: POS_INITS.join('|'), help: 'learnable positions init: N(0, 0.02) or ones (original)', parse: choice(POS_INITS) },
  norm: { key: 'norm', value: NORMS.join('|'), help: 'LayerNorm placement (original: pre_norm, post_norm, no_norm)', parse: choice(NORMS) },
  softmax: { key: 'softmax', value: SOFTMAXES.join('|'), help: 'attention softmax (original: vanilla, off1)', parse: choice(SOFTMAXES) },
  precision: { key: 'precision', value: PRECISIONS.join('|'), help: 'Q/K/V/O precision; frozen-sign reproduces the original 1-bit layer', parse: choice(PRECISIONS) },
  'activation-scaling': { key: 'activationScaling', value: SCALINGS.join('|'), help: '8-bit activation absmax scope of BitLinear', parse: choice(SCALINGS) },
  seed: { key: 'seed', value: 'N', help: 'seed of the initialisation and batch order', parse: int(0) },
  steps: { key: 'steps', value: 'N', help: 'optimizer steps (instead of --epochs)', parse: int(1) },
  epochs: { key: 'epochs', value: 'N', help: 'epochs over the train split (instead of --steps)', parse: int(1) },
  lr: { key: 'lr', value: 'X', help: 'peak learning rate', parse: num(0, true) },
  'batch-size': { key: 'batchSize', value: 'N', help: 'samples per step', parse: int(1) },
  loss: { key: 'loss', value: LOSSES.join('|'), help: 'cross entropy over all positions (original) or the target position only', parse: choice(LOSSES) },
  warmup: { key: 'warmupFraction', value: 'X', help: 'linear warmup as a fraction of all steps', parse: num(0) },
  schedule: { key: 'schedule', value: SCHEDULES.join('|'), help: 'learning-rate schedule after warmup', parse: choice(SCHEDULES) },
  'weight-decay': { key: 'weightDecay', value: 'X', help: 'AdamW decoupled weight decay', parse: num(0) },
  'eval-every': { key: 'evalEvery', value: 'N', help: 'evaluate every N steps (0: once per epoch)', parse: int(0) },
  'data-seed': { key: 'dataSeed', value: 'N', help: 'seed of the copy-task sentences', parse: int(0) },
  count: { key: 'count', value: 'N', help: 'copy-task sentences in all', parse: int(2) },
  'train-size': { key: 'trainSize', value: 'N', help: 'sentences in the train split', parse: int(1) },
};

/** Option specs of the spec flags, for parseArgs and --help. */
export function specOptionSpecs(list: boolean): OptionSpecs {
  const out: OptionSpecs = {};
  for (const [flag, f] of Object.entries(SPEC_FLAGS)) {
    const def = (DEFAULT_RUN_SPEC as unknown as Record<string, unknown>)[f.key];
    out[flag] = {
      type: 'string',
      value: list ? `${f.value.includes('|') ? f.value : `${f.value}[,${f.value}...]`}` : f.value,
      help: `${f.help}${list ? ' (comma list: a grid axis)' : ''}${def !== undefined ? ` (default: ${String(def)})` : ''}`,
    };
  }
  return out;
}

/** `--recipe ours|original`: our defaults (docs/RESULTS.md) or the original study's hyperparameters. */
export function recipeBase(command: string, raw: string | undefined): RunSpec {
  const recipe = parseChoice(command, 'recipe', raw ?? 'ours', ['ours', 'original'] as const);
  return recipe === 'original' ? ({ ...DEFAULT_RUN_SPEC, ...ORIGINAL_RUN_SPEC } as RunSpec) : { ...DEFAULT_RUN_SPEC };
}

/** Values from an original-study INI file (`-c config.ini`), under our flag names. */
export function readIniValues(command: string, path: string, cwd: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch {
    throw new CliError(`ihc ${command}: cannot read config file '${path}'`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseIni(text, path))) {
    // the original's names through the same aliases as its flags, then snake_case -> kebab-case
    const flag = normalizeArgv([`--${key}`])[0].slice(2).replace(/_/g, '-');
    if (flag in SPEC_FLAGS) out[flag] = value; // keys we do not model (paths, logging...) are ignored
  }
  return out;
}

/**
 * Applies flag values (single values for `train`, comma lists for `sweep`) on top of a
 * base spec. Returns the single-valued spec and the axes given as lists.
 */
export function applySpecFlags(
  command: string,
  base: RunSpec,
  values: ParsedValues,
  allowLists: boolean,
): { spec: RunSpec; axes: Partial<Record<keyof RunSpec, unknown[]>> } {
  const spec: RunSpec = { ...base };
  const axes: Partial<Record<keyof RunSpec, unknown[]>> = {};
  for (const [flag, f] of Object.entries(SPEC_FLAGS)) {
    const raw = getString(values, flag);
    if (raw === undefined) continue;
    const items = allowLists ? splitList(command, flag, raw) : [raw];
    const parsed = items.map((item) => f.parse(command, flag, normalizeValue(flag, item)));
    if (parsed.length === 1) (spec as unknown as Record<string, unknown>)[f.key] = parsed[0];
    else axes[f.key] = parsed;
    if (f.key === 'steps') spec.epochs = undefined;
    if (f.key === 'epochs') spec.steps = undefined;
  }
  if (getString(values, 'steps') !== undefined && getString(values, 'epochs') !== undefined) {
    throw new CliError(`ihc ${command}: give --steps or --epochs, not both`);
  }
  return { spec, axes };
}
