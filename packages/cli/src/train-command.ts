import { join, resolve } from 'node:path';
import { formatHelp, getString, parseOptions, type OptionSpecs } from './args';
import { backendOption, startBackend } from './backend-option';
import type { Command } from './command';
import { CliError } from './errors';
import { interruptSignal } from './interrupt';
import { createProgress, progressMode } from './progress';
import { executeRun } from './run-executor';
import { runId, validateRunSpec, type RunSpec } from './run-spec';
import { applySpecFlags, readIniValues, recipeBase, specOptionSpecs } from './spec-options';

const options: OptionSpecs = {
  ...specOptionSpecs(false),
  recipe: { type: 'string', value: 'ours|original', help: "base hyperparameters: ours (docs/RESULTS.md) or the original study's", default: 'ours' },
  config: { type: 'string', short: 'c', value: 'FILE', help: "read the original study's config.ini (flags override it)" },
  out: { type: 'string', value: 'DIR', help: 'run directory (default runs/train/<run-id>)' },
  backend: backendOption,
  json: { type: 'boolean', help: 'progress as JSON lines on stdout' },
  quiet: { type: 'boolean', short: 'q', help: 'no progress output' },
  'run-spec': { type: 'string', value: 'JSON', help: '(internal, used by ihc sweep) the full run spec' },
  sweep: { type: 'string', value: 'NAME', help: '(internal, used by ihc sweep) the sweep name' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const usage = 'ihc train [--embed-size N] [--num-heads N] [--pos-embed ...] [--norm ...] [--precision ...] [--steps N | --epochs N] [--out DIR]';
const description = `Train one model on the copy task and score it: writes config.json, metrics.jsonl,
checkpoint/ and scores.json (induction scores of every head on every sample of both
splits, target and token definitions, with copy accuracy) into the run directory.
Ctrl-C stops after the current step with a checkpoint; running the same command again
resumes. The original study's option names and values are accepted too
(--embed_size, --num_head, --pos_embed no_pos, --norm_mode pre_norm, --softmax_mode off1).`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train and score one model (one config, one seed)',
  usage,
  description,
  options,
  async run(argv, io) {
    const first = parseOptions('train', argv, options);
    if (first.values.help) {
      io.stdout(formatHelp(usage, description, options));
      return 0;
    }
    let spec: RunSpec;
    const internal = getString(first.values, 'run-spec');
    if (internal !== undefined) {
      spec = JSON.parse(internal) as RunSpec;
    } else {
      const configPath = getString(first.values, 'config');
      const ini = configPath ? readIniValues('train', configPath, io.cwd) : {};
      const values = { ...ini, ...Object.fromEntries(Object.entries(first.values).filter(([, v]) => v !== undefined)) };
      spec = applySpecFlags('train', recipeBase('train', getString(values, 'recipe')), values, false).spec;
    }
    validateRunSpec(spec, 'ihc train');
    const id = runId(spec);
    const outRaw = getString(first.values, 'out');
    const runDir = outRaw ? resolve(io.cwd, outRaw) : join(io.cwd, 'runs', 'train', id);
    const mode = progressMode({ json: Boolean(first.values.json), quiet: Boolean(first.values.quiet) });
    const progress = createProgress(mode, { out: io.stdout, err: io.stderr, columns: process.stderr.columns });
    const backend = await startBackend('train', getString(first.values, 'backend'), (line) => progress.emit({ type: 'note', message: line }));
    const interrupt = interruptSignal(() => progress.emit({ type: 'note', message: 'stopping after this step (Ctrl-C again to quit now)...' }));
    try {
      const outcome = await executeRun({
        runDir,
        runId: id,
        sweep: getString(first.values, 'sweep') ?? 'train',
        spec,
        backend: backend.name,
        engine: backend.engine,
        progress,
        signal: interrupt.signal,
      });
      progress.close();
      if (outcome.status === 'aborted') {
        io.stderr(`ihc train: interrupted; run the same command again to resume ${runDir}\n`);
        return 130;
      }
      if (mode !== 'json' && mode !== 'quiet') io.stderr(`ihc train: ${outcome.status === 'skipped' ? 'already complete' : 'done'}: ${runDir}\n`);
      return 0;
    } catch (err) {
      progress.close();
      if (err instanceof SyntaxError) throw new CliError(`ihc train: --run-spec is not valid JSON`);
      throw err;
    } finally {
      interrupt.dispose();
    }
  },
};
