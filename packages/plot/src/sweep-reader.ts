/**
 * Reading a sweep directory (`runs/<sweep>/`): every run directory's `scores.json`
 * (validated with `parseRunScores`), `config.json` and the path of `metrics.jsonl`.
 * A run is complete iff it has `scores.json`; incomplete runs are skipped and reported.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type RunScores, parseRunScores } from '@ihc/induction-score';
import { PlotError } from './errors';

/** One complete run. */
export interface SweepRun {
  /** Directory name. */
  runId: string;
  /** Absolute path of the run directory. */
  dir: string;
  scores: RunScores;
  /** Parsed `config.json`, when present. */
  config?: Record<string, unknown>;
  /** Path of `metrics.jsonl`, when present. */
  metricsFile?: string;
}

/** A run directory without `scores.json` (still training, failed, or interrupted). */
export interface IncompleteRun {
  runId: string;
  dir: string;
  reason: string;
}

/** Everything read from a sweep directory. */
export interface Sweep {
  /** Absolute path of the sweep directory. */
  dir: string;
  /** Its name (the directory's base name). */
  name: string;
  /** Complete runs, sorted by run id. */
  runs: SweepRun[];
  /** Incomplete runs, sorted by run id. */
  incomplete: IncompleteRun[];
  /** Parsed `sweep.json` (the grid), when present. */
  grid?: Record<string, unknown>;
}

const RUN_MARKERS = ['scores.json', 'config.json', 'metrics.jsonl', 'checkpoint'];

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PlotError('CORRUPT_FILE', `${file} is not valid JSON: ${(cause as Error).message}`, { file, cause });
  }
}

async function readRun(runId: string, dir: string): Promise<SweepRun | IncompleteRun> {
  const scoresFile = join(dir, 'scores.json');
  const configFile = join(dir, 'config.json');
  const metricsFile = join(dir, 'metrics.jsonl');
  const hasMetrics = await exists(metricsFile);
  if (!(await exists(scoresFile))) {
    const what = (await exists(join(dir, 'checkpoint'))) ? 'has a checkpoint' : hasMetrics ? 'has metrics' : 'has a config';
    return { runId, dir, reason: `no scores.json (${what} only: still running or interrupted)` };
  }
  let scores: RunScores;
  try {
    scores = parseRunScores(await readJson(scoresFile), scoresFile);
  } catch (cause) {
    if (cause instanceof PlotError) throw cause;
    throw new PlotError('CORRUPT_FILE', `${scoresFile} is not a valid RunScores file: ${(cause as Error).message}`, { file: scoresFile, cause });
  }
  let config: Record<string, unknown> | undefined;
  if (await exists(configFile)) {
    const value = await readJson(configFile);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PlotError('CORRUPT_FILE', `${configFile} is not a JSON object.`, { file: configFile });
    }
    config = value as Record<string, unknown>;
  }
  return { runId, dir, scores, ...(config ? { config } : {}), ...(hasMetrics ? { metricsFile } : {}) };
}

/**
 * Reads every run of a sweep directory. A directory that is itself a run (has
 * scores.json) reads as a one-run sweep. Throws EMPTY_SWEEP when `dir` is missing or
 * has no complete run, CORRUPT_FILE (naming the file) for unreadable scores/config.
 */
export async function readSweep(dir: string): Promise<Sweep> {
  const root = resolve(dir);
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new PlotError('EMPTY_SWEEP', `Sweep directory ${root} does not exist.`, { file: root });
  }
  if (!info.isDirectory()) throw new PlotError('EMPTY_SWEEP', `${root} is not a directory.`, { file: root });

  const runs: SweepRun[] = [];
  const incomplete: IncompleteRun[] = [];
  let candidates: { runId: string; dir: string }[];
  if (await exists(join(root, 'scores.json'))) {
    candidates = [{ runId: basename(root), dir: root }];
  } else {
    const entries = await readdir(root, { withFileTypes: true });
    candidates = [];
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const runDir = join(root, e.name);
      const markers = await Promise.all(RUN_MARKERS.map((m) => exists(join(runDir, m))));
      if (markers.some(Boolean)) candidates.push({ runId: e.name, dir: runDir });
    }
  }
  for (const c of candidates) {
    const r = await readRun(c.runId, c.dir);
    if ('scores' in r) runs.push(r);
    else incomplete.push(r);
  }
  if (runs.length === 0) {
    const detail = incomplete.length
      ? `${incomplete.length} run director${incomplete.length === 1 ? 'y has' : 'ies have'} no scores.json yet (e.g. ${incomplete[0].dir})`
      : 'it has no run directories (expected <sweep>/<run-id>/scores.json)';
    throw new PlotError('EMPTY_SWEEP', `No complete run in ${root}: ${detail}.`, { file: root });
  }
  let grid: Record<string, unknown> | undefined;
  const sweepFile = join(root, 'sweep.json');
  if (await exists(sweepFile)) {
    const value = await readJson(sweepFile);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) grid = value as Record<string, unknown>;
  }
  return { dir: root, name: basename(root), runs, incomplete, ...(grid ? { grid } : {}) };
}
