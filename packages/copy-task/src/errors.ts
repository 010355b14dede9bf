/**
 * The one error type of `@ihc/copy-task`.
 *
 * Every bad option or argument throws a `CopyTaskError` with `code: 'INVALID_OPTION'`,
 * the name of the option (or argument) in `option`, the value that was given in
 * `value`, and a message that names both the value and what is allowed.
 */

/** Error codes thrown by this package. */
export type CopyTaskErrorCode = 'INVALID_OPTION';

/** Thrown for any invalid option or argument of this package. */
export class CopyTaskError extends Error {
  /** Machine-readable reason; always `'INVALID_OPTION'`. */
  readonly code: CopyTaskErrorCode;
  /** Name of the offending option or argument, e.g. `'prefixLength'` or `'batchSize'`. */
  readonly option: string;
  /** The value that was given. */
  readonly value: unknown;

  constructor(option: string, value: unknown, allowed: string) {
    super(`Invalid ${option}: got ${describeValue(value)}; expected ${allowed}.`);
    this.name = 'CopyTaskError';
    this.code = 'INVALID_OPTION';
    this.option = option;
    this.value = value;
  }
}

/** A short, readable rendering of any value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describeValue).join(', ');
    return `[${shown}${value.length > 8 ? `, ... (${value.length} items)` : ''}]`;
  }
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return 'an object';
}
