/** Codes carried by {@link BitLinearError}. */
export type BitLinearErrorCode = 'INVALID_OPTION' | 'BAD_SHAPE' | 'BAD_VALUE';

const BRAND = Symbol.for('@ihc/bitlinear/BitLinearError');

/** The one error type of `@ihc/bitlinear`; the message names the bad value and the valid ones. */
export class BitLinearError extends Error {
  readonly code: BitLinearErrorCode;

  /**
   * Matches by brand, not identity, so `instanceof` holds across copies of this class
   * (the ESM and CJS builds, or the separately bundled entries of the CJS build).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      value instanceof Error &&
      (value as { [BRAND]?: unknown })[BRAND] === true &&
      typeof (value as { code?: unknown }).code === 'string'
    );
  }

  constructor(code: BitLinearErrorCode, message: string) {
    super(message);
    this.name = 'BitLinearError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Formats a value for an error message (strings quoted, arrays as JSON). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}

/** Throws `INVALID_OPTION` unless `value` is one of `valid`. */
export function checkOneOf<T>(name: string, value: unknown, valid: readonly T[]): T {
  if (!valid.includes(value as T)) {
    throw new BitLinearError(
      'INVALID_OPTION',
      `${name} must be one of ${valid.map(describeValue).join(', ')}; got ${describeValue(value)}`,
    );
  }
  return value as T;
}
