import { join, relative } from 'node:path';
import { plotSweep, writeReport } from '@ihc/plot';
import { formatHelp, getString, parseOptions, type OptionSpecs } from './args';
import type { Command } from './command';
import { exportRun } from './onnx-commands';
import { originalOption, resolveOriginalScores } from './original-scores-option';
import { PRESETS } from './presets';
import { collectRuns } from './results-table';
import { isRunComplete, RUN_FILES } from './run-files';
import { sweep, sweepOptions } from './sweep-command';

const options: OptionSpecs = {
  preset: { type: 'string', value: Object.keys(PRESETS).join('|'), help: 'quick: minutes on a CPU; paper: the original 576-training grid', default: 'quick' },
  out: sweepOptions.out,
  shard: sweepOptions.shard,
  concurrency: sweepOptions.concurrency,
  backend: sweepOptions.backend,
  original: originalOption,
  'skip-plots': { type: 'boolean', help: 'do not draw figures or the report' },
  'skip-export': { type: 'boolean', help: 'do not export ONNX models' },
  json: sweepOptions.json,
  quiet: sweepOptions.quiet,
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const usage = 'ihc reproduce [--preset quick|paper] [--out DIR] [--concurrency N] [--shard i/N]';
const description = `Reproduce the study: the sweep of the preset (resumable; Ctrl-C and run again), then
the figures (<out>/figures), the HTML report (<out>/report.html) and ONNX exports of the
trained models (<run>/model.onnx; quick preset only, or always with --preset smoke).`;

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'the whole study in one command: sweep, figures, report, ONNX exports',
  usage,
  description,
  options,
  async run(argv, io) {
    const { values } = parseOptions('reproduce', argv, options);
    if (values.help) {
      io.stdout(formatHelp(usage, description, options));
      return 0;
    }
    const preset = getString(values, 'preset') ?? 'quick';
    const original = resolveOriginalScores(getString(values, 'original'), io.cwd);
    const r = await sweep({ ...values, preset }, io, 'reproduce');
    if ('dryRun' in r) return 0;
    if (r.exitCode === 130) return 130;
    const say = (line: string): void => {
      if (!values.quiet) io.stderr(`${line}\n`);
    };
    const rel = (p: string): string => relative(io.cwd, p) || '.';
    if (!values['skip-plots'] && collectRuns(r.sweepDir).length > 0) {
      const files = await plotSweep(r.sweepDir, { format: 'png', ...(original ? { originalScores: original } : {}) });
      say(`ihc reproduce: ${files.length} figures in ${rel(join(r.sweepDir, 'figures'))}`);
      const report = await writeReport(r.sweepDir, original ? { originalScores: original } : {});
      say(`ihc reproduce: report ${rel(report)}`);
    }
    if (!values['skip-export'] && preset !== 'paper') {
      let n = 0;
      for (const run of r.plan.mine) {
        const runDir = join(r.sweepDir, run.id);
        if (!isRunComplete(runDir)) continue;
        await exportRun(runDir, join(runDir, RUN_FILES.onnx));
        n++;
      }
      say(`ihc reproduce: exported ${n} ONNX models (<run>/${RUN_FILES.onnx}); try: npx ihc infer ${rel(join(r.sweepDir, r.plan.mine[0]?.id ?? '', RUN_FILES.onnx))} --text "g&icuwpxzohbcepeaikyfeejxaps&"`);
    }
    say(`ihc reproduce: results in ${rel(join(r.sweepDir, 'results.csv'))}`);
    return r.exitCode;
  },
};
