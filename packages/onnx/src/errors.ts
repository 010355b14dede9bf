/** Error codes thrown by `@ihc/onnx`. */
export type OnnxErrorCode =
  | 'INVALID_MODEL'
  | 'INVALID_OPTION'
  | 'INVALID_INPUT'
  | 'INVALID_FILE'
  | 'PROVIDER_UNAVAILABLE'
  | 'PEER_MISSING';

/** Every error thrown by `@ihc/onnx`; `code` says what kind of problem it is. */
export class OnnxError extends Error {
  readonly code: OnnxErrorCode;
  /** For PROVIDER_UNAVAILABLE: the provider that was asked for. */
  readonly provider: string | undefined;
  /** For PROVIDER_UNAVAILABLE: providers that can run here. */
  readonly available: readonly string[];
  constructor(
    code: OnnxErrorCode,
    message: string,
    details: { provider?: string; available?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'OnnxError';
    this.code = code;
    this.provider = details.provider;
    this.available = details.available ?? [];
  }
}

/** `JSON.stringify` that never throws, for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s;
  } catch {
    return String(value);
  }
}
