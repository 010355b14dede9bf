/** Error codes thrown by `@ihc/model` (model, parameters and backend selection). */
export type ModelErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_PARAMS'
  | 'INVALID_INPUT'
  | 'BACKEND_UNAVAILABLE'
  | 'UNKNOWN_BACKEND'
  | 'INVALID_OPTION';

/** Base class of every error thrown by `@ihc/model`. */
export class ModelError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
  }
}

/** A `ModelConfig` option has a bad value (or is not an option at all). */
export class ModelConfigError extends ModelError {
  override readonly code: 'INVALID_CONFIG' = 'INVALID_CONFIG';
  /** Name of the offending option. */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;
  constructor(option: string, value: unknown, message: string) {
    super('INVALID_CONFIG', message);
    this.name = 'ModelConfigError';
    this.option = option;
    this.value = value;
  }
}

/** Parameters (names, shapes, data) do not match the model configuration. */
export class ModelParamsError extends ModelError {
  override readonly code: 'INVALID_PARAMS' = 'INVALID_PARAMS';
  /** Parameter name concerned, when there is one. */
  readonly param: string | undefined;
  constructor(message: string, param?: string) {
    super('INVALID_PARAMS', message);
    this.name = 'ModelParamsError';
    this.param = param;
  }
}

/** Bad input to `forward` (token ids of the wrong shape, dtype or range). */
export class ModelInputError extends ModelError {
  override readonly code: 'INVALID_INPUT' = 'INVALID_INPUT';
  constructor(message: string) {
    super('INVALID_INPUT', message);
    this.name = 'ModelInputError';
  }
}

/**
 * Backend selection failures: `UNKNOWN_BACKEND` (a name that is not a backend),
 * `BACKEND_UNAVAILABLE` (a known backend that cannot start here), `INVALID_OPTION`.
 */
export type BackendErrorCode = 'BACKEND_UNAVAILABLE' | 'UNKNOWN_BACKEND' | 'INVALID_OPTION';

/** A TF.js backend is unknown or cannot be started here. */
export class BackendError extends ModelError {
  override readonly code: BackendErrorCode;
  /** The backend that was asked for. */
  readonly backend: string;
  /** Backends that can be selected on this machine (best first), when known. */
  readonly available: readonly string[];
  constructor(
    code: BackendErrorCode,
    backend: string,
    message: string,
    available: readonly string[] = [],
  ) {
    super(code, message);
    this.name = 'BackendError';
    this.code = code;
    this.backend = backend;
    this.available = available;
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
