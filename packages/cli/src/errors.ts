/** A user-facing CLI error: printed as one line on stderr, exit code 2, no stack trace. */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(message: string, code = 'USAGE', exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/**
 * Typed errors thrown by the @ihc packages for bad input carry a string `code`;
 * the CLI reports those as usage errors (exit 2) too.
 */
export function isUserError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (err instanceof CliError) return true;
  return typeof code === 'string' && /Error$/.test(err.name) && err.name !== 'Error' && err.name !== 'TypeError' && err.name !== 'RangeError';
}
