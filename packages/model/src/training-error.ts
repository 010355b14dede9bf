import { ModelError } from './errors';

/** Error codes of training (`train`, `resolveTrainConfig`). */
export type TrainingErrorCode = 'INVALID_TRAIN_CONFIG' | 'NON_FINITE_LOSS' | 'INCOMPATIBLE_DATA';

/** Training failed or was asked for with bad options. */
export class TrainingError extends ModelError {
  override readonly code: TrainingErrorCode;
  /** The optimizer step concerned (0-based) for 'NON_FINITE_LOSS'. */
  readonly step: number | undefined;
  constructor(code: TrainingErrorCode, message: string, step?: number) {
    super(code, message);
    this.name = 'TrainingError';
    this.code = code;
    this.step = step;
  }
}

/** A `TrainConfig` option has a bad value (or is not an option at all). */
export class TrainConfigError extends TrainingError {
  /** Name of the offending option (`dataset.count` for dataset options). */
  readonly option: string;
  /** The rejected value. */
  readonly value: unknown;
  constructor(option: string, value: unknown, message: string) {
    super('INVALID_TRAIN_CONFIG', message);
    this.name = 'TrainConfigError';
    this.option = option;
    this.value = value;
  }
}
