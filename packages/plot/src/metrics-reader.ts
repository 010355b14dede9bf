/**
 * Reading a run's `metrics.jsonl`: step lines (training loss, lr, batch copy accuracy)
 * and eval lines (per split: loss, copy accuracy, and the target / token induction
 * scores of every layer x head, row-major).
 */
import { readFile } from 'node:fs/promises';
import { PlotError } from './errors';

/** A training-step line. */
export interface StepMetrics {
  type: 'step';
  step: number;
  epoch?: number;
  loss: number;
  lr?: number;
  copyAccuracy?: number;
  tokensPerSec?: number;
  seconds?: number;
}

/** An evaluation line. */
export interface EvalMetrics {
  type: 'eval';
  step: number;
  split: 'train' | 'eval';
  loss: number;
  copyAccuracy: number;
  /** Target-definition induction score per layer x head, row-major. */
  target: number[];
  /** Token-definition induction score per layer x head, row-major. */
  token: number[];
}

export type MetricsRecord = StepMetrics | EvalMetrics;

/** Which line types to keep. */
export interface MetricsReadOptions {
  /** Line types to parse (default both); reading only 'eval' lines of long runs is much faster. */
  types?: readonly ('step' | 'eval')[];
}

const EVAL_LINE = /"type"\s*:\s*"eval"/;
const STEP_LINE = /"type"\s*:\s*"step"/;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/**
 * Parses metrics.jsonl text. Blank lines and lines of other types are skipped, and so
 * is an unfinished last line (a run still writing); any other bad line throws
 * CORRUPT_FILE naming `source` and the line number.
 */
export function parseMetrics(text: string, source = 'metrics.jsonl', options: MetricsReadOptions = {}): MetricsRecord[] {
  const lines = text.split('\n');
  const records: MetricsRecord[] = [];
  const onlyEval = options.types !== undefined && !options.types.includes('step');
  const onlyStep = options.types !== undefined && !options.types.includes('eval');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    // cheap pre-filter: long runs have tens of thousands of step lines
    if (onlyEval && !EVAL_LINE.test(line)) return;
    if (onlyStep && !STEP_LINE.test(line)) return;
    const last = i === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      if (last) return; // partially written final line
      throw new PlotError('CORRUPT_FILE', `${source}:${i + 1} is not valid JSON (${(cause as Error).message}).`, { file: source, cause });
    }
    const bad = (what: string): never => {
      throw new PlotError('CORRUPT_FILE', `${source}:${i + 1}: ${what}.`, { file: source });
    };
    if (typeof value !== 'object' || value === null) bad('expected a JSON object');
    const o = value as Record<string, unknown>;
    if (o.type === 'step') {
      if (!isNum(o.step) || !isNum(o.loss)) bad('a step line needs numeric "step" and "loss"');
      const rec: StepMetrics = { type: 'step', step: o.step as number, loss: o.loss as number };
      for (const k of ['epoch', 'lr', 'copyAccuracy', 'tokensPerSec', 'seconds'] as const) if (isNum(o[k])) rec[k] = o[k] as number;
      records.push(rec);
    } else if (o.type === 'eval') {
      if (!isNum(o.step) || (o.split !== 'train' && o.split !== 'eval')) bad('an eval line needs numeric "step" and "split" of "train" or "eval"');
      records.push({
        type: 'eval',
        step: o.step as number,
        split: o.split as 'train' | 'eval',
        loss: isNum(o.loss) ? o.loss : Number.NaN,
        copyAccuracy: isNum(o.copyAccuracy) ? o.copyAccuracy : Number.NaN,
        target: isNumArray(o.target) ? o.target : [],
        token: isNumArray(o.token) ? o.token : [],
      });
    }
  });
  return records;
}

/** Reads and parses a metrics.jsonl file. */
export async function readMetrics(file: string, options: MetricsReadOptions = {}): Promise<MetricsRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new PlotError('CORRUPT_FILE', `Cannot read ${file}: ${(cause as Error).message}`, { file, cause });
  }
  return parseMetrics(text, file, options);
}
