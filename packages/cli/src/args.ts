import { parseArgs } from 'node:util';
import { CliError } from './errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** One line for --help. */
  help: string;
  /** Value placeholder for --help, e.g. "N" or "pre|post|none". */
  value?: string;
  default?: string | boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Option names and values of the original study's scripts, accepted so its users can
 * keep their habits. Keys are the original spellings, values ours.
 */
export const ORIGINAL_OPTION_ALIASES: Readonly<Record<string, string>> = {
  embed_size: 'embed-size',
  num_head: 'num-heads',
  num_heads: 'num-heads',
  pos_embed: 'pos-embed',
  norm_mode: 'norm',
  softmax_mode: 'softmax',
  batch_size: 'batch-size',
  learning_rate: 'lr',
  num_epochs: 'epochs',
  seed: 'seed',
  epochs: 'epochs',
  lr: 'lr',
};

export const ORIGINAL_VALUE_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'pos-embed': { no_pos: 'none', none: 'none', learnable: 'learnable', learned: 'learnable', trigonometric: 'trigonometric', sinusoidal: 'trigonometric', sin: 'trigonometric', trig: 'trigonometric' },
  norm: { pre_norm: 'pre', post_norm: 'post', no_norm: 'none', pre: 'pre', post: 'post', none: 'none' },
  softmax: { off1: 'off-by-one', vanilla: 'vanilla', 'off-by-one': 'off-by-one', softmax: 'vanilla' },
  precision: { '1-bit': '1bit', '1bit': '1bit', bit: '1bit', fp: 'fp', fp32: 'fp', '1.58bit': '1.58bit', '1.58-bit': '1.58bit', ternary: '1.58bit', 'frozen-sign': 'frozen-sign' },
};

/** Rewrites `--embed_size` style options to ours before parsing. */
export function normalizeArgv(argv: readonly string[]): string[] {
  return argv.map((arg) => {
    if (!arg.startsWith('--')) return arg;
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const alias = ORIGINAL_OPTION_ALIASES[name];
    if (!alias || alias === name) return arg;
    return `--${alias}${eq < 0 ? '' : arg.slice(eq)}`;
  });
}

/** Maps an original-study value (e.g. `pre_norm`) to ours; returns the input when it has no alias. */
export function normalizeValue(option: string, value: string): string {
  return ORIGINAL_VALUE_ALIASES[option]?.[value] ?? value;
}

/** Parses argv against `specs`, turning node's parse errors into one-line CliErrors. */
export function parseOptions(
  command: string,
  argv: readonly string[],
  specs: OptionSpecs,
  allowPositionals = false,
): { values: ParsedValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: normalizeArgv(argv), options, strict: true, allowPositionals });
    const out = { ...values } as ParsedValues;
    for (const [name, spec] of Object.entries(specs)) {
      if (out[name] === undefined && spec.default !== undefined) out[name] = spec.default;
    }
    return { values: out, positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const known = Object.keys(specs).map((k) => `--${k}`).join(', ');
    const code = (err as { code?: string }).code;
    const quoted = /'([^']+)'/.exec(msg)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new CliError(`ihc ${command}: unknown option '${quoted}'; valid options: ${known}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new CliError(`ihc ${command}: unexpected argument '${quoted}'; see 'ihc ${command} --help'`);
    }
    throw new CliError(`ihc ${command}: ${msg.replace(/^TypeError \[[A-Z_]+\]: /, '')}`);
  }
}

export function formatHelp(usage: string, description: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ` ${s.value ?? 'VALUE'}` : ''}`;
    const def = s.default !== undefined && s.default !== false ? ` (default: ${String(s.default)})` : '';
    return { left, right: `${s.help}${def}` };
  });
  const width = Math.min(40, Math.max(...rows.map((r) => r.left.length)) + 2);
  const lines = rows.map((r) => `  ${r.left}${' '.repeat(Math.max(2, width - r.left.length))}${r.right}`);
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${lines.join('\n')}\n`;
}

function optionLabel(name: string): string {
  return `--${name}`;
}

export function getString(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function requireString(command: string, values: ParsedValues, name: string): string {
  const v = getString(values, name);
  if (v === undefined || v === '') throw new CliError(`ihc ${command}: ${optionLabel(name)} is required`);
  return v;
}

export function parseIntOption(command: string, name: string, raw: string, min = Number.MIN_SAFE_INTEGER): number {
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new CliError(`ihc ${command}: ${optionLabel(name)} must be an integer >= ${min}, got '${raw}'`);
  }
  return n;
}

export function parseFloatOption(command: string, name: string, raw: string, min = -Infinity, exclusiveMin = false): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || (exclusiveMin && n === min)) {
    throw new CliError(`ihc ${command}: ${optionLabel(name)} must be a number ${exclusiveMin ? '>' : '>='} ${min}, got '${raw}'`);
  }
  return n;
}

export function parseChoice<T extends string>(command: string, name: string, raw: string, choices: readonly T[]): T {
  const v = normalizeValue(name, raw);
  if (!(choices as readonly string[]).includes(v)) {
    throw new CliError(`ihc ${command}: ${optionLabel(name)} must be one of ${choices.join('|')}, got '${raw}'`);
  }
  return v as T;
}

/** Splits a comma list (`16,32`) into trimmed non-empty items. */
export function splitList(command: string, name: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) {
    throw new CliError(`ihc ${command}: ${optionLabel(name)} must be a comma-separated list without empty items, got '${raw}'`);
  }
  return items;
}
