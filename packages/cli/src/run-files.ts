import { existsSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@ihc/model';
import { parseRunScores, type RunScores } from '@ihc/induction-score';

/** File names inside a run directory (DESIGN.md). */
export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  scores: 'scores.json',
  checkpoint: 'checkpoint',
  onnx: 'model.onnx',
} as const;

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomicSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads JSON, returning undefined when the file is missing or not valid JSON (a corrupt file is never trusted). */
export function readJsonIfValid(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The run's scores when `scores.json` exists and is valid: the run is complete. */
export function readCompleteScores(runDir: string): RunScores | undefined {
  const json = readJsonIfValid(join(runDir, RUN_FILES.scores));
  if (json === undefined) return undefined;
  try {
    return parseRunScores(json, join(runDir, RUN_FILES.scores));
  } catch {
    return undefined;
  }
}

/** Whether the run in `runDir` is complete (its `scores.json` exists and is valid). */
export function isRunComplete(runDir: string): boolean {
  return readCompleteScores(runDir) !== undefined;
}

export function appendJsonLine(file: string, value: unknown): void {
  appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/**
 * Keeps only the metrics lines a resumed run will not write again: complete JSON lines
 * whose `step` is at most `lastStep` (a SIGKILL can leave a half-written last line, and
 * steps after the last checkpoint are repeated on resume). Rewritten atomically.
 */
export function trimMetrics(file: string, lastStep: number): void {
  if (!existsSync(file)) return;
  const kept: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const obj = JSON.parse(line) as { step?: unknown };
      if (typeof obj.step === 'number' && obj.step <= lastStep) kept.push(line);
    } catch {
      // a torn line from an interrupted write: dropped
    }
  }
  writeFileAtomicSync(file, kept.length ? `${kept.join('\n')}\n` : '');
}

export function removeRunState(runDir: string): void {
  rmSync(join(runDir, RUN_FILES.checkpoint), { recursive: true, force: true });
  rmSync(join(runDir, RUN_FILES.metrics), { force: true });
}
