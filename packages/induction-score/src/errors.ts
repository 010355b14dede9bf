/** Error codes thrown by `@ihc/induction-score` (see docs/SPEC.md). */
export type InductionScoreErrorCode =
  | 'BAD_SHAPE'
  | 'BAD_VALUE'
  | 'BAD_INDEX'
  | 'BAD_ROW_SUM'
  | 'BAD_OPTION';

/**
 * The only error this package throws for bad input. `code` says which kind of
 * problem it is; the message names the bad value and what was expected.
 */
export class InductionScoreError extends Error {
  readonly code: InductionScoreErrorCode;

  constructor(code: InductionScoreErrorCode, message: string) {
    super(message);
    this.name = 'InductionScoreError';
    this.code = code;
  }
}

/** Short, readable rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
  }
  if (typeof value === 'function') return 'a function';
  return 'an object';
}
