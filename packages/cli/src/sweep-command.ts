import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatHelp, getString, parseIntOption, parseOptions, type OptionSpecs } from './args';
import { backendOption, startBackend } from './backend-option';
import type { Command, Io } from './command';
import { interruptSignal } from './interrupt';
import { PRESETS } from './presets';
import { createProgress, progressMode } from './progress';
import { summaryTable, writeResults } from './results-table';
import { writeJsonAtomic } from './run-files';
import { specOptionSpecs } from './spec-options';
import { planSweep, type SweepPlan } from './sweep-plan';
import { runSweep, type SweepOutcome } from './sweep-runner';

export const sweepOptions: OptionSpecs = {
  preset: { type: 'string', value: Object.keys(PRESETS).join('|'), help: 'a predefined grid' },
  grid: { type: 'string', value: 'FILE', help: 'a JSON grid: {"name", "base": {...}, "axes": {"embedSize": [16, 32], ...}}' },
  ...specOptionSpecs(true),
  seeds: { type: 'string', value: 'N[,N...]', help: 'seeds (a grid axis)' },
  recipe: { type: 'string', value: 'ours|original', help: "base hyperparameters: ours or the original study's", default: 'ours' },
  config: { type: 'string', short: 'c', value: 'FILE', help: "read the original study's config.ini as base values" },
  name: { type: 'string', value: 'NAME', help: 'sweep name (default: the preset or grid name, else "sweep")' },
  out: { type: 'string', value: 'DIR', help: 'sweep directory (default runs/<name>)' },
  shard: { type: 'string', value: 'i/N', help: 'run only shard i of N (0-based; Slurm array / Kubernetes indexed Jobs)', default: '0/1' },
  concurrency: { type: 'string', value: 'N', help: 'runs at once on this machine (child processes)', default: '1' },
  backend: backendOption,
  'dry-run': { type: 'boolean', help: 'list the runs of this shard and exit' },
  json: { type: 'boolean', help: 'progress as JSON lines on stdout' },
  quiet: { type: 'boolean', short: 'q', help: 'no progress output' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const usage = 'ihc sweep [--preset quick|paper | --grid FILE | --embed-size 16,32 --precision fp,1bit --seeds 1,2,3 ...] [--out DIR] [--shard i/N] [--concurrency N]';
const description = `Train and score every run of a grid into runs/<sweep>/<run-id>/, then write
results.jsonl and results.csv (one row per complete run). Complete runs are skipped,
incomplete ones resume from their checkpoint: killing a sweep and starting it again
loses nothing. --shard i/N takes every N-th run starting at i, so N machines (Slurm
array jobs, Kubernetes indexed Jobs, plain shells) can share one grid on a shared
directory; results merge by directory.`;

export interface SweepResult {
  plan: SweepPlan;
  sweepDir: string;
  outcome: SweepOutcome;
  exitCode: number;
}

/** Plans and runs a sweep; shared by `ihc sweep` and `ihc reproduce`. */
export async function sweep(values: Record<string, unknown>, io: Io, command = 'sweep'): Promise<SweepResult | { dryRun: true }> {
  const vals = values as Parameters<typeof planSweep>[0];
  const plan = planSweep(vals, io.cwd);
  const outRaw = getString(vals, 'out');
  const sweepDir = outRaw ? resolve(io.cwd, outRaw) : join(io.cwd, 'runs', plan.name);
  if (vals['dry-run']) {
    io.stdout(`${plan.mine.map((r) => join(sweepDir, r.id)).join('\n')}\n`);
    io.stderr(`${plan.mine.length} of ${plan.runs.length} runs in shard ${plan.shard.index}/${plan.shard.count}\n`);
    return { dryRun: true };
  }
  const concurrency = parseIntOption(command, 'concurrency', getString(vals, 'concurrency') ?? '1', 1);
  const mode = progressMode({ json: Boolean(vals.json), quiet: Boolean(vals.quiet) });
  const progress = createProgress(mode, { out: io.stdout, err: io.stderr, columns: process.stderr.columns });
  mkdirSync(sweepDir, { recursive: true });
  writeJsonAtomic(join(sweepDir, 'sweep.json'), { name: plan.name, grid: plan.grid, runs: plan.runs.map((r) => r.id) });
  const backend = await startBackend(command, getString(vals, 'backend'), (line) => progress.emit({ type: 'note', message: line }));
  progress.emit({ type: 'note', message: `sweep ${plan.name}: ${plan.mine.length} runs${plan.shard.count > 1 ? ` (shard ${plan.shard.index}/${plan.shard.count} of ${plan.runs.length})` : ''} in ${sweepDir}` });
  const interrupt = interruptSignal(() => progress.emit({ type: 'note', message: 'stopping after the current step (Ctrl-C again to quit now)...' }));
  let outcome: SweepOutcome;
  try {
    outcome = await runSweep({
      sweepDir, sweep: plan.name, runs: plan.mine, backend: backend.name, engine: backend.engine, concurrency, progress, signal: interrupt.signal,
      binPath: process.argv[1],
    });
  } finally {
    interrupt.dispose();
  }
  const { runs } = writeResults(sweepDir);
  progress.emit({ type: 'sweep-end', message: `${outcome.completed.length} trained, ${outcome.skipped.length} already complete, ${outcome.failed.length} failed; ${runs.length} complete runs in ${join(sweepDir, 'results.csv')}` });
  progress.close();
  if (mode !== 'json' && mode !== 'quiet' && runs.length) io.stderr(`\n${summaryTable(runs)}\n`);
  for (const f of outcome.failed) io.stderr(`ihc ${command}: run ${f.id} failed: ${f.reason.split('\n')[0]}\n`);
  const exitCode = outcome.aborted ? 130 : outcome.failed.length ? 1 : 0;
  if (outcome.aborted) io.stderr(`ihc ${command}: interrupted; run the same command again to resume\n`);
  return { plan, sweepDir, outcome, exitCode };
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'train and score a grid of runs (resumable, shardable)',
  usage,
  description,
  options: sweepOptions,
  async run(argv, io) {
    const { values } = parseOptions('sweep', argv, sweepOptions);
    if (values.help) {
      io.stdout(formatHelp(usage, description, sweepOptions));
      return 0;
    }
    const r = await sweep(values, io);
    return 'dryRun' in r ? 0 : r.exitCode;
  },
};
