/** Codes of `NativeError`. */
export type NativeErrorCode = 'NATIVE_UNAVAILABLE' | 'INVALID_OPTION' | 'DISPOSED' | 'BAD_STATE';

/** Every error thrown by @ihc/native; `code` says which kind. */
export class NativeError extends Error {
  readonly code: NativeErrorCode;
  constructor(code: NativeErrorCode, message: string) {
    super(message);
    this.name = 'NativeError';
    this.code = code;
  }
}
