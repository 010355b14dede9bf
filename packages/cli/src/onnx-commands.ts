import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTokenizer, type Tokenizer } from '@ihc/copy-task';
import { inductionScores } from '@ihc/induction-score';
import { createNodeSession, exportCheckpoint, NODE_PROVIDERS, type NodeProvider } from '@ihc/onnx/node';
import { formatHelp, getString, parseChoice, parseIntOption, parseOptions, requireString, type OptionSpecs } from './args';
import type { Command } from './command';
import { CliError } from './errors';
import { RUN_FILES } from './run-files';

/** Metadata key holding the tokenizer's symbols (JSON array), so `ihc infer` can encode text. */
export const VOCABULARY_KEY = 'ihc.vocabulary';

/** Exports a run's final checkpoint to ONNX with its vocabulary; returns the file written. */
export async function exportRun(runDir: string, out: string, options: { fp16?: boolean; pack?: boolean } = {}): Promise<{ file: string; bytes: number }> {
  const checkpoint = join(runDir, RUN_FILES.checkpoint);
  if (!existsSync(checkpoint)) throw new CliError(`ihc export: ${runDir} has no checkpoint/ (is it a run directory of ihc train or ihc sweep?)`);
  const tokenizer = createTokenizer();
  const bytes = await exportCheckpoint(checkpoint, {
    out,
    fp16: Boolean(options.fp16),
    ...(options.pack === false ? { packWeights: false } : {}),
    metadata: { [VOCABULARY_KEY]: JSON.stringify(tokenizer.symbols) },
  });
  return { file: out, bytes: bytes.length };
}

const exportOptions: OptionSpecs = {
  out: { type: 'string', value: 'FILE', help: 'output file (default <run>/model.onnx)' },
  fp16: { type: 'boolean', help: 'store full-precision weights as fp16' },
  'no-pack': { type: 'boolean', help: 'store 1-bit/ternary kernels de-quantised as fp32 instead of bit-packed' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const exportUsage = 'ihc export runs/<sweep>/<run> [--out model.onnx] [--fp16] [--no-pack]';
const exportDescription = 'Export a trained run to ONNX (IR 8, opset 17): logits and every layer\'s attention as\noutputs, 1-bit Q/K/V/O bit-packed (8 per byte) and ternary at 2 bits.';

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a trained run to ONNX with bit-packed 1-bit weights',
  usage: exportUsage,
  description: exportDescription,
  options: exportOptions,
  positionals: true,
  async run(argv, io) {
    const { values, positionals } = parseOptions('export', argv, exportOptions, true);
    if (values.help) {
      io.stdout(formatHelp(exportUsage, exportDescription, exportOptions));
      return 0;
    }
    if (positionals.length !== 1) throw new CliError(`ihc export: expected one run directory, got ${positionals.length} arguments`);
    const runDir = resolve(io.cwd, positionals[0]);
    if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw new CliError(`ihc export: no such run directory '${positionals[0]}'`);
    const outRaw = getString(values, 'out');
    const out = outRaw ? resolve(io.cwd, outRaw) : join(runDir, RUN_FILES.onnx);
    const r = await exportRun(runDir, out, { fp16: Boolean(values.fp16), pack: !values['no-pack'] });
    io.stdout(`${r.file}\n`);
    io.stderr(`ihc export: wrote ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB)\n`);
    return 0;
  },
};

const inferOptions: OptionSpecs = {
  text: { type: 'string', value: 'TEXT', help: 'input sequence, e.g. "g&icuwpxzohbcepeaikyfeejxaps&"' },
  'top-k': { type: 'string', value: 'N', help: 'how many next-token probabilities to print', default: '5' },
  provider: { type: 'string', value: NODE_PROVIDERS.join('|'), help: 'onnxruntime-node execution provider (falls back to cpu when unavailable)', default: 'cpu' },
  json: { type: 'boolean', help: 'print JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const inferUsage = 'ihc infer model.onnx --text "g&icuwpxzohbcepeaikyfeejxaps&" [--top-k 5] [--provider cpu|webgpu|cuda]';
const inferDescription = `Run an exported model on one sequence with onnxruntime-node: print the predicted next
token, the top-k probabilities, and each head's induction scores on that input (target:
attention from the last position to the token after the first '&'; token: the
Olsson et al. definition).`;

function softmaxRow(logits: Float32Array, offset: number, v: number): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < v; i++) m = Math.max(m, logits[offset + i]);
  const p = new Float64Array(v);
  let s = 0;
  for (let i = 0; i < v; i++) s += p[i] = Math.exp(logits[offset + i] - m);
  for (let i = 0; i < v; i++) p[i] /= s;
  return p;
}

function tokenizerFrom(props: Record<string, string>): Tokenizer {
  const raw = props[VOCABULARY_KEY];
  if (!raw) return createTokenizer();
  const symbols = JSON.parse(raw) as string[];
  return createTokenizer(symbols.slice(0, -1), symbols[symbols.length - 1]);
}

export const inferCommand: Command = {
  name: 'infer',
  summary: 'run an exported ONNX model on a sequence: prediction, top-k, per-head scores',
  usage: inferUsage,
  description: inferDescription,
  options: inferOptions,
  positionals: true,
  async run(argv, io) {
    const { values, positionals } = parseOptions('infer', argv, inferOptions, true);
    if (values.help) {
      io.stdout(formatHelp(inferUsage, inferDescription, inferOptions));
      return 0;
    }
    if (positionals.length !== 1) throw new CliError(`ihc infer: expected one model file, got ${positionals.length} arguments`);
    const file = resolve(io.cwd, positionals[0]);
    if (!existsSync(file)) throw new CliError(`ihc infer: no such model file '${positionals[0]}'`);
    const text = requireString('infer', values, 'text');
    const topK = parseIntOption('infer', 'top-k', getString(values, 'top-k') ?? '5', 1);
    const provider = parseChoice('infer', 'provider', getString(values, 'provider') ?? 'cpu', NODE_PROVIDERS) as NodeProvider;
    const session = await createNodeSession(file, { provider, fallback: true });
    try {
      const tokenizer = tokenizerFrom(session.metadata.props);
      const ids = tokenizer.encode(text);
      const T = ids.length;
      const { logits, attention, shapes } = await session.run(ids, [1, T]);
      const V = shapes.logits[2];
      const p = softmaxRow(logits, (T - 1) * V, V);
      const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a]).slice(0, Math.min(topK, V));
      const top = order.map((i) => ({ token: tokenizer.decode([i]), probability: p[i] }));
      const layers = attention.length;
      const heads = shapes.attention[1];
      const block = heads * T * T;
      const data = new Float32Array(layers * block);
      attention.forEach((a, l) => data.set(a, l * block));
      const att = { data, shape: [layers, 1, heads, T, T] };
      const rowSum = session.config?.softmax === 'off-by-one' ? 'at-most-one' : 'one';
      const firstInduction = ids.indexOf(tokenizer.inductionId);
      const target = firstInduction >= 0 && firstInduction + 1 < T
        ? Array.from(inductionScores(att, { definition: 'target', queryPos: [T - 1], keyPos: [firstInduction + 1], rowSum }).scores)
        : null;
      const tokenRes = inductionScores(att, { definition: 'token', tokens: ids, rowSum });
      const token = tokenRes.sampleCount > 0 ? Array.from(tokenRes.scores) : null;
      const result = { text, provider: session.provider, prediction: top[0].token, topK: top, layers, heads, scores: { target, token } };
      if (values.json) {
        io.stdout(`${JSON.stringify(result)}\n`);
      } else {
        const lines = [`input      ${text} (${T} tokens, ${session.provider})`, `prediction ${top[0].token}`, 'top-k      ' + top.map((t) => `${t.token} ${t.probability.toFixed(4)}`).join('  ')];
        for (const [name, values_] of [['target', target], ['token', token]] as const) {
          if (!values_) {
            lines.push(`${name.padEnd(10)} n/a (${name === 'target' ? "no '&' followed by a token" : 'no repeated token'} in the input)`);
            continue;
          }
          for (let l = 0; l < layers; l++) {
            lines.push(`${(l === 0 ? name : '').padEnd(10)} layer ${l + 1}: ${values_.slice(l * heads, (l + 1) * heads).map((v, h) => `h${h + 1} ${v.toFixed(3)}`).join('  ')}`);
          }
        }
        io.stdout(`${lines.join('\n')}\n`);
      }
      return 0;
    } finally {
      await session.release();
    }
  },
};
