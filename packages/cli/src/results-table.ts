import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunScores } from '@ihc/induction-score';
import { writeFileAtomicSync } from '@ihc/model';
import { readCompleteScores, readJsonIfValid, RUN_FILES } from './run-files';
import type { RunSpec } from './run-spec';

export type ResultRow = Record<string, string | number>;

/** The training hyperparameters a results row carries next to the model config. */
const TRAIN_COLUMNS = ['lr', 'loss', 'batchSize', 'warmupFraction', 'schedule', 'weightDecay', 'posInit', 'dataSeed'] as const;

/**
 * One flat row per run: config, training hyperparameters (from the run's config.json),
 * copy accuracy and loss per split, every head's score per definition.
 */
export function resultRow(s: RunScores, spec?: Partial<RunSpec>): ResultRow {
  const row: ResultRow = {
    runId: s.config.runId,
    embedSize: s.config.embedSize,
    numHeads: s.config.numHeads,
    numLayers: s.config.numLayers,
    norm: s.config.norm,
    posEmbed: s.config.posEmbed,
    softmax: s.config.softmax,
    precision: s.config.precision,
    seed: s.config.seed,
    steps: s.steps,
    seconds: Math.round(s.seconds * 10) / 10,
    backend: s.backend,
  };
  for (const k of TRAIN_COLUMNS) {
    const v = spec?.[k];
    if (typeof v === 'string' || typeof v === 'number') row[k] = v;
  }
  for (const split of ['train', 'eval'] as const) {
    const sp = s.splits[split];
    row[`${split}_copy_accuracy`] = sp.copyAccuracy;
    row[`${split}_loss`] = sp.loss;
    for (const def of ['target', 'token'] as const) {
      const t = sp.scores[def];
      for (let l = 0; l < t.layers; l++) {
        for (let h = 0; h < t.heads; h++) row[`${split}_${def}_L${l + 1}H${h + 1}`] = t.values[l * t.heads + h];
      }
    }
  }
  return row;
}

export interface CompleteRun {
  scores: RunScores;
  /** The run's spec from config.json (absent if that file is unreadable). */
  spec?: Partial<RunSpec>;
}

/** Every complete run under a sweep directory, sorted by run id. */
export function collectRuns(sweepDir: string): CompleteRun[] {
  let names: string[];
  try {
    names = readdirSync(sweepDir);
  } catch {
    return [];
  }
  const out: CompleteRun[] = [];
  for (const name of names.sort()) {
    const dir = join(sweepDir, name);
    if (!statSync(dir).isDirectory()) continue;
    const scores = readCompleteScores(dir);
    if (!scores) continue;
    const config = readJsonIfValid(join(dir, RUN_FILES.config)) as { spec?: Partial<RunSpec> } | undefined;
    out.push({ scores, spec: config?.spec });
  }
  return out;
}

function csvCell(v: string | number): string {
  const s = typeof v === 'number' ? String(Number.isInteger(v) ? v : Number(v.toPrecision(6))) : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes results.jsonl and results.csv (atomically) from every complete run in the sweep directory. */
export function writeResults(sweepDir: string): { runs: RunScores[]; rows: ResultRow[] } {
  const complete = collectRuns(sweepDir);
  const runs = complete.map((r) => r.scores);
  const rows = complete.map((r) => resultRow(r.scores, r.spec));
  writeFileAtomicSync(join(sweepDir, 'results.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))];
  writeFileAtomicSync(join(sweepDir, 'results.csv'), `${lines.join('\n')}\n`);
  return { runs, rows };
}

/** A short text table for the terminal: per configuration (run id without the seed) mean ± std over seeds. */
export function summaryTable(runs: RunScores[]): string {
  const groups = new Map<string, RunScores[]>();
  for (const r of runs) {
    // the run id without its seed: every axis the sweep varies, in the sweep's own spelling
    const key = r.config.runId.replace(/-s\d+(?=-|$)/, '');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const stat = (xs: number[]): string => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
    return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
  };
  const header = ['config', 'n', 'eval copy acc', 'best L2 target', 'best L2 token'];
  const rows = [...groups.entries()].map(([key, rs]) => {
    const bestL2 = (r: RunScores, def: 'target' | 'token'): number => {
      const t = r.splits.eval.scores[def];
      return Math.max(...t.values.slice((t.layers - 1) * t.heads));
    };
    return [key, String(rs.length), stat(rs.map((r) => r.splits.eval.copyAccuracy)), stat(rs.map((r) => bestL2(r, 'target'))), stat(rs.map((r) => bestL2(r, 'token')))];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}
