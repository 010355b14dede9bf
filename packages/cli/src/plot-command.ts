import { resolve } from 'node:path';
import { plotSweep, writeReport } from '@ihc/plot';
import { formatHelp, getString, parseChoice, parseOptions, type OptionSpecs } from './args';
import type { Command } from './command';
import { CliError } from './errors';
import { originalOption, resolveOriginalScores } from './original-scores-option';

const plotOptions: OptionSpecs = {
  out: { type: 'string', value: 'DIR', help: 'output directory (default <sweep>/figures)' },
  format: { type: 'string', value: 'png|svg|both', help: 'image format', default: 'png' },
  original: originalOption,
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

const plotUsage = 'ihc plot runs/<sweep> [--out DIR] [--format png|svg|both]';
const plotDescription = `Draw the study's figures from a sweep directory: per precision and split, heatmap grids
(rows = embed size, columns = head count, one layer x head map per panel with its copy
accuracy) per positional mode and per norm mode, for the target and token definitions;
FP minus 1-bit differences; per-run maps; training curves; ours vs the original.`;

function sweepDirArg(command: string, positionals: string[], cwd: string): string {
  if (positionals.length !== 1) throw new CliError(`ihc ${command}: expected one sweep directory, got ${positionals.length} arguments; see 'ihc ${command} --help'`);
  return resolve(cwd, positionals[0]);
}

export const plotCommand: Command = {
  name: 'plot',
  summary: "draw the study's figures (PNG/SVG) from a sweep directory",
  usage: plotUsage,
  description: plotDescription,
  options: plotOptions,
  positionals: true,
  async run(argv, io) {
    const { values, positionals } = parseOptions('plot', argv, plotOptions, true);
    if (values.help) {
      io.stdout(formatHelp(plotUsage, plotDescription, plotOptions));
      return 0;
    }
    const dir = sweepDirArg('plot', positionals, io.cwd);
    const format = parseChoice('plot', 'format', getString(values, 'format') ?? 'png', ['png', 'svg', 'both'] as const);
    const out = getString(values, 'out');
    const original = resolveOriginalScores(getString(values, 'original'), io.cwd);
    const files = await plotSweep(dir, { format, ...(out ? { out: resolve(io.cwd, out) } : {}), ...(original ? { originalScores: original } : {}) });
    io.stdout(`${files.join('\n')}\n`);
    io.stderr(`ihc plot: wrote ${files.length} figures\n`);
    return 0;
  },
};

const reportOptions: OptionSpecs = {
  out: { type: 'string', value: 'FILE', help: 'output HTML file (default <sweep>/report.html)' },
  original: originalOption,
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const reportUsage = 'ihc report runs/<sweep> [--out FILE]';
const reportDescription = 'Write one self-contained HTML report (inline SVG figures, score and accuracy tables\nwith mean ± std over seeds, run configs, training curves) that works offline.';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report of a sweep',
  usage: reportUsage,
  description: reportDescription,
  options: reportOptions,
  positionals: true,
  async run(argv, io) {
    const { values, positionals } = parseOptions('report', argv, reportOptions, true);
    if (values.help) {
      io.stdout(formatHelp(reportUsage, reportDescription, reportOptions));
      return 0;
    }
    const dir = sweepDirArg('report', positionals, io.cwd);
    const out = getString(values, 'out');
    const original = resolveOriginalScores(getString(values, 'original'), io.cwd);
    const file = await writeReport(dir, { ...(out ? { out: resolve(io.cwd, out) } : {}), ...(original ? { originalScores: original } : {}) });
    io.stdout(`${file}\n`);
    return 0;
  },
};
