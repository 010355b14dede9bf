/**
 * The one error type of `@ihc/plot`.
 *
 * Every failure this package detects throws a `PlotError` with a machine-readable
 * `code`, and a message naming the bad value (or file) and what was expected.
 */

/** Error codes thrown by this package. */
export type PlotErrorCode =
  /** An argument or option has a bad value. */
  | 'BAD_OPTION'
  /** Input data (scores, matrices, metrics) has the wrong shape or values. */
  | 'BAD_INPUT'
  /** The sweep directory does not exist, or holds no complete run. */
  | 'EMPTY_SWEEP'
  /** A `scores.json` (or `config.json`) could not be parsed or failed validation. */
  | 'CORRUPT_FILE'
  /** Runs that must be averaged together disagree (e.g. different layer counts). */
  | 'INCONSISTENT_RUNS'
  /** No TrueType font was found for rendering text. */
  | 'FONT_NOT_FOUND'
  /** vega / vega-lite / resvg failed on a spec or SVG. */
  | 'RENDER_FAILED';

/** Thrown for every error this package detects. */
export class PlotError extends Error {
  /** Machine-readable reason. */
  readonly code: PlotErrorCode;
  /** The file involved, when there is one. */
  readonly file?: string;

  constructor(code: PlotErrorCode, message: string, options?: { file?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlotError';
    this.code = code;
    if (options?.file !== undefined) this.file = options.file;
  }
}

/** A short, readable rendering of any value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 6).map(describeValue).join(', ');
    return `[${shown}${value.length > 6 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return 'an object';
}

/** Throws `BAD_OPTION` naming the option, the value and what is allowed. */
export function badOption(option: string, value: unknown, allowed: string): never {
  throw new PlotError('BAD_OPTION', `Invalid ${option}: got ${describeValue(value)}; expected ${allowed}.`);
}
