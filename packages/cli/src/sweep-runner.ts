import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { StepEngineFactory } from '@ihc/model';
import type { PlannedRun } from './grid';
import type { Progress, ProgressEvent } from './progress';
import { executeRun } from './run-executor';
import { isRunComplete } from './run-files';

export interface SweepRunOptions {
  sweepDir: string;
  sweep: string;
  runs: PlannedRun[];
  backend: string;
  /** The training step engine of the started backend (in-process runs); children start their own. */
  engine?: StepEngineFactory;
  concurrency: number;
  progress: Progress;
  signal: AbortSignal;
  /** Path of the `ihc` bin script for child processes (concurrency > 1). */
  binPath: string;
}

export interface SweepOutcome {
  completed: string[];
  skipped: string[];
  failed: { id: string; reason: string }[];
  aborted: boolean;
}

/**
 * Runs the planned runs, in order, `concurrency` at a time. With concurrency 1 they run
 * in this process on the already started backend; otherwise each run is a child
 * `ihc train --run-spec ...` process whose JSON progress is relayed. A failed run is
 * recorded and the sweep goes on; an interrupt stops starting new runs.
 */
export async function runSweep(o: SweepRunOptions): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { completed: [], skipped: [], failed: [], aborted: false };
  const durations: number[] = [];
  const runCount = o.runs.length;
  let remaining = o.runs.filter((r) => !isRunComplete(join(o.sweepDir, r.id))).length;
  const sweepEta = (currentRunEta = 0): number | undefined => {
    if (durations.length === 0) return undefined;
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    return currentRunEta + (Math.max(0, remaining - 1) * mean) / o.concurrency;
  };
  const emit = (e: ProgressEvent, runIndex: number): void => {
    o.progress.emit({ ...e, runIndex, runCount, sweepEtaSeconds: sweepEta(e.etaSeconds ?? 0) });
  };

  const runOne = async (run: PlannedRun, index: number): Promise<void> => {
    const runDir = join(o.sweepDir, run.id);
    const t0 = Date.now();
    try {
      let status: 'complete' | 'skipped' | 'aborted';
      if (o.concurrency === 1) {
        const r = await executeRun({
          runDir, runId: run.id, sweep: o.sweep, spec: run.spec, backend: o.backend, engine: o.engine, signal: o.signal, runIndex: index, runCount,
          progress: { emit: (e) => emit(e, index), close: () => undefined },
        });
        status = r.status;
      } else {
        status = await runChild(o, run, runDir, (e) => emit(e, index));
      }
      if (status === 'aborted') {
        outcome.aborted = true;
        return;
      }
      if (status === 'skipped') outcome.skipped.push(run.id);
      else {
        outcome.completed.push(run.id);
        durations.push((Date.now() - t0) / 1000);
        remaining--;
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      outcome.failed.push({ id: run.id, reason });
      o.progress.emit({ type: 'note', runId: run.id, message: `${run.id} failed: ${reason.split('\n')[0]}` });
      remaining--;
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.runs.length && !o.signal.aborted) {
      const index = next++;
      await runOne(o.runs[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.runs.length) }, worker));
  if (o.signal.aborted) outcome.aborted = true;
  return outcome;
}

function runChild(o: SweepRunOptions, run: PlannedRun, runDir: string, emit: (e: ProgressEvent) => void): Promise<'complete' | 'skipped' | 'aborted'> {
  return new Promise((resolvePromise, reject) => {
    const args = [o.binPath, 'train', '--run-spec', JSON.stringify(run.spec), '--out', runDir, '--sweep', o.sweep, '--backend', o.backend, '--json'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    let skipped = false;
    const onAbort = (): void => void child.kill('SIGINT');
    o.signal.addEventListener('abort', onAbort);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const e = JSON.parse(line) as ProgressEvent;
          if (e.type === 'run-skip') skipped = true;
          emit(e);
        } catch {
          // not a progress line
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      o.signal.removeEventListener('abort', onAbort);
      if (code === 0) resolvePromise(skipped ? 'skipped' : 'complete');
      else if (code === 130 || o.signal.aborted) resolvePromise('aborted');
      else reject(new Error(stderr.trim().split('\n').pop() || `exit code ${code}`));
    });
  });
}
