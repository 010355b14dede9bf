/**
 * Progress output for long work. Three modes:
 * - `bar`: a live line on stderr (TTY), redrawn in place: sweep position, run id, step, loss, accuracy, ETA;
 * - `lines`: the same information as a plain line every few seconds (logs, CI, non-TTY);
 * - `json`: one JSON object per event on stdout, for machines;
 * - `quiet`: nothing but errors.
 */
export type ProgressMode = 'bar' | 'lines' | 'json' | 'quiet';

export interface ProgressEvent {
  type: 'run-start' | 'step' | 'eval' | 'run-end' | 'run-skip' | 'sweep-end' | 'note';
  runId?: string;
  runIndex?: number;
  runCount?: number;
  step?: number;
  totalSteps?: number;
  loss?: number;
  copyAccuracy?: number;
  lr?: number;
  etaSeconds?: number;
  sweepEtaSeconds?: number;
  message?: string;
  [key: string]: unknown;
}

export interface Progress {
  emit(event: ProgressEvent): void;
  close(): void;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function bar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

export function describe(e: ProgressEvent): string {
  const sweep = e.runCount !== undefined ? `run ${(e.runIndex ?? 0) + 1}/${e.runCount} ` : '';
  const sweepEta = e.sweepEtaSeconds !== undefined ? ` | sweep ETA ${formatDuration(e.sweepEtaSeconds)}` : '';
  switch (e.type) {
    case 'step': {
      const frac = e.totalSteps ? (e.step ?? 0) / e.totalSteps : 0;
      return `${sweep}${e.runId ?? ''} ${bar(frac)} step ${e.step}/${e.totalSteps} loss ${e.loss?.toFixed(4)} acc ${e.copyAccuracy?.toFixed(3)} ETA ${formatDuration(e.etaSeconds)}${sweepEta}`;
    }
    case 'eval':
      return `${sweep}${e.runId ?? ''} eval @ step ${e.step}: ${e.message ?? ''}`;
    case 'run-start':
      return `${sweep}${e.runId ?? ''} started${e.message ? ` (${e.message})` : ''}`;
    case 'run-end':
      return `${sweep}${e.runId ?? ''} done${e.message ? `: ${e.message}` : ''}${sweepEta}`;
    case 'run-skip':
      return `${sweep}${e.runId ?? ''} skipped${e.message ? `: ${e.message}` : ''}`;
    case 'sweep-end':
      return `sweep done${e.message ? `: ${e.message}` : ''}`;
    default:
      return e.message ?? '';
  }
}

/** Where progress goes: `err` for humans (stderr), `out` for --json (stdout); `columns` of the terminal. */
export interface ProgressSink {
  out: (text: string) => void;
  err: (text: string) => void;
  columns?: number;
}

export function createProgress(mode: ProgressMode, sink: ProgressSink): Progress {
  if (mode === 'quiet') return { emit: () => undefined, close: () => undefined };
  if (mode === 'json') {
    return {
      emit: (e) => sink.out(`${JSON.stringify({ ...e, time: new Date().toISOString() })}\n`),
      close: () => undefined,
    };
  }
  if (mode === 'lines') {
    let last = 0;
    return {
      emit: (e) => {
        const now = Date.now();
        if (e.type === 'step' && now - last < 5000 && e.step !== e.totalSteps) return;
        last = now;
        sink.err(`${describe(e)}\n`);
      },
      close: () => undefined,
    };
  }
  let live = false;
  let lastDraw = 0;
  return {
    emit: (e) => {
      if (e.type === 'step') {
        const now = Date.now();
        if (now - lastDraw < 100 && e.step !== e.totalSteps) return;
        lastDraw = now;
        const width = sink.columns ?? 120;
        sink.err(`\r${describe(e).slice(0, width - 1).padEnd(width - 1)}`);
        live = true;
        return;
      }
      if (live) sink.err('\n');
      live = false;
      sink.err(`${describe(e)}\n`);
    },
    close: () => {
      if (live) sink.err('\n');
      live = false;
    },
  };
}

/** Picks `bar` on a TTY, `lines` otherwise, unless --json/--quiet ask for more or less. */
export function progressMode(flags: { json?: boolean; quiet?: boolean }, isTTY = Boolean(process.stderr.isTTY)): ProgressMode {
  if (flags.json) return 'json';
  if (flags.quiet) return 'quiet';
  return isTTY ? 'bar' : 'lines';
}
