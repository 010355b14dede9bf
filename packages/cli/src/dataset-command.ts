import { generateCopyTask, type CopyTaskSplit } from '@ihc/copy-task';
import { formatHelp, getString, parseChoice, parseIntOption, parseOptions, type OptionSpecs } from './args';
import type { Command, Io } from './command';

const options: OptionSpecs = {
  seed: { type: 'string', value: 'N', help: 'seed of the sentence generator', default: '0' },
  count: { type: 'string', value: 'N', help: 'total number of sentences', default: '6000' },
  'train-size': { type: 'string', value: 'N', help: 'sentences in the train split (the rest is eval)', default: '5500' },
  split: { type: 'string', value: 'train|eval|all', help: 'which split to print', default: 'all' },
  format: { type: 'string', value: 'jsonl|text', help: 'one JSON object per sentence, or plain text', default: 'jsonl' },
  limit: { type: 'string', value: 'N', help: 'print at most N sentences per split' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const usage = 'ihc dataset [--seed N] [--count N] [--split train|eval|all] [--format jsonl|text]';
const description = 'Print the copy-task sentences (the original recipe: 27 tokens, 30-token sentences,\n`&` at a position in 0..3 and again at 28) with the query and target key positions.';

function printSplit(io: Io, name: 'train' | 'eval', split: CopyTaskSplit, decode: (ids: ArrayLike<number>) => string, format: string, limit: number): void {
  const n = Math.min(split.count, limit);
  const L = split.seqLength;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const tokens = split.tokens.subarray(i * L, (i + 1) * L);
    const text = decode(tokens);
    if (format === 'text') {
      lines.push(text);
    } else {
      lines.push(JSON.stringify({
        split: name,
        index: i,
        text,
        tokens: Array.from(tokens),
        queryPos: split.queryPos[i],
        keyPos: split.keyPos[i],
        target: text[L - 1],
      }));
    }
  }
  if (lines.length) io.stdout(`${lines.join('\n')}\n`);
}

export const datasetCommand: Command = {
  name: 'dataset',
  summary: 'print the copy-task sentences with their positions',
  usage,
  description,
  options,
  async run(argv, io) {
    const { values } = parseOptions('dataset', argv, options);
    if (values.help) {
      io.stdout(formatHelp(usage, description, options));
      return 0;
    }
    const seed = parseIntOption('dataset', 'seed', getString(values, 'seed') ?? '0', 0);
    const count = parseIntOption('dataset', 'count', getString(values, 'count') ?? '6000', 2);
    const trainSize = parseIntOption('dataset', 'train-size', getString(values, 'train-size') ?? '5500', 1);
    const split = parseChoice('dataset', 'split', getString(values, 'split') ?? 'all', ['train', 'eval', 'all'] as const);
    const format = parseChoice('dataset', 'format', getString(values, 'format') ?? 'jsonl', ['jsonl', 'text'] as const);
    const limitRaw = getString(values, 'limit');
    const limit = limitRaw === undefined ? Number.POSITIVE_INFINITY : parseIntOption('dataset', 'limit', limitRaw, 0);
    const task = generateCopyTask({ seed, count, trainSize });
    const decode = (ids: ArrayLike<number>): string => task.tokenizer.decode(ids);
    if (split !== 'eval') printSplit(io, 'train', task.train, decode, format, limit);
    if (split !== 'train') printSplit(io, 'eval', task.eval, decode, format, limit);
    return 0;
  },
};
