import { inductionScores } from '@ihc/induction-score';
import { formatHelp, getString, parseChoice, parseIntOption, parseFloatOption, parseOptions, requireString, type OptionSpecs } from './args';
import { readArrayFile } from './array-file';
import type { Command } from './command';
import { CliError } from './errors';

const options: OptionSpecs = {
  attention: { type: 'string', value: 'FILE', help: 'attention probabilities [batch, heads, query, key] or [layers, batch, heads, query, key] (.npy or JSON)' },
  tokens: { type: 'string', value: 'FILE', help: 'input token ids [batch, query] (needed by --definition token)' },
  definition: { type: 'string', value: 'token|target|stripe', help: 'which induction score', default: 'token' },
  'query-pos': { type: 'string', value: 'FILE', help: 'per-sample query positions [batch] (target)' },
  'key-pos': { type: 'string', value: 'FILE', help: 'per-sample key positions [batch] (target)' },
  period: { type: 'string', value: 'N', help: 'period of the repeated random tokens (stripe)' },
  'row-sum': { type: 'string', value: 'one|at-most-one', help: 'rows sum to 1, or to at most 1 (off-by-one softmax)', default: 'one' },
  tolerance: { type: 'string', value: 'X', help: 'tolerance of the row-sum check', default: '0.001' },
  'per-sample': { type: 'boolean', help: 'also print per-sample scores' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const usage = 'ihc score --attention FILE [--tokens FILE] --definition token|target|stripe [--query-pos FILE --key-pos FILE] [--period N]';
const description = 'Score attention probabilities from a file and print the induction score per (layer,) head as JSON.';

function asInt32(a: { data: ArrayLike<number> }, path: string): Int32Array {
  const out = new Int32Array(a.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = a.data[i];
    if (!Number.isInteger(v)) throw new CliError(`${path}: expected integers, got ${v} at index ${i}`);
    out[i] = v;
  }
  return out;
}

export const scoreCommand: Command = {
  name: 'score',
  summary: 'induction scores of an attention tensor from a file (JSON or .npy)',
  usage,
  description,
  options,
  async run(argv, io) {
    const { values } = parseOptions('score', argv, options);
    if (values.help) {
      io.stdout(formatHelp(usage, description, options));
      return 0;
    }
    const definition = parseChoice('score', 'definition', getString(values, 'definition') ?? 'token', ['token', 'target', 'stripe'] as const);
    const attPath = requireString('score', values, 'attention');
    const att = readArrayFile(attPath, io.cwd);
    const data = att.data instanceof Int32Array ? Float32Array.from(att.data) : att.data;
    const rowSum = parseChoice('score', 'row-sum', getString(values, 'row-sum') ?? 'one', ['one', 'at-most-one'] as const);
    const tolerance = parseFloatOption('score', 'tolerance', getString(values, 'tolerance') ?? '0.001', 0);
    const common = { rowSum, tolerance, perSample: Boolean(values['per-sample']) };
    let result;
    if (definition === 'token') {
      const tokPath = requireString('score', values, 'tokens');
      const tokens = readArrayFile(tokPath, io.cwd);
      result = inductionScores({ data, shape: att.shape }, { ...common, definition, tokens: asInt32(tokens, tokPath) });
    } else if (definition === 'target') {
      const qPath = requireString('score', values, 'query-pos');
      const kPath = requireString('score', values, 'key-pos');
      result = inductionScores({ data, shape: att.shape }, {
        ...common,
        definition,
        queryPos: asInt32(readArrayFile(qPath, io.cwd), qPath),
        keyPos: asInt32(readArrayFile(kPath, io.cwd), kPath),
      });
    } else {
      const period = parseIntOption('score', 'period', requireString('score', values, 'period'), 1);
      result = inductionScores({ data, shape: att.shape }, { ...common, definition, period });
    }
    const out: Record<string, unknown> = {
      definition: result.definition,
      shape: result.shape,
      scores: Array.from(result.scores),
      sampleCount: result.sampleCount,
    };
    if (result.perSample) {
      out.perSampleShape = result.perSampleShape;
      out.perSample = Array.from(result.perSample);
    }
    io.stdout(`${JSON.stringify(out)}\n`);
    return 0;
  },
};
