import type { AdamWState } from './adamw';
import type { ModelConfig } from './config';
import type { ParamRecord } from './params';
import type { TrainConfig } from './train-config';

/** One training batch as plain data (row-major `[size, length]`). */
export interface StepBatch {
  inputs: Int32Array;
  labels: Int32Array;
  /** Index of the query token of each sample `[size]`. */
  queryPos: Int32Array;
  size: number;
  length: number;
}

/** What `StepEngine.computeGradients` returns. */
export interface StepGradients {
  /** The batch's loss before the update (`crossEntropyLoss` with the train config's mode). */
  loss: number;
  /** Argmax of the logits at each sample's query position `[size]`. */
  preds: Int32Array;
}

/**
 * A training step outside TF.js: it owns the parameters and AdamW moments while
 * `train({ engine })` runs, and must compute exactly what the TF.js step computes
 * (`forward` + `crossEntropyLoss` + gradients + optional clipping + `createAdamW`), to
 * tolerance. `train` copies its parameters back into the TF.js variables before every
 * evaluation, checkpoint and at the end. `@ihc/native` provides one.
 */
export interface StepEngine {
  /** Short name for logs and run configs (e.g. 'native (OpenBLAS, 2 threads)'). */
  readonly name: string;
  /** Forward and backward pass of one batch; the gradients are kept for `applyUpdate`. */
  computeGradients(batch: StepBatch): StepGradients;
  /** One AdamW update with learning rate `lr` from the last gradients (clipped to `gradClip` when set). */
  applyUpdate(lr: number): void;
  /** Current parameters (copies), by SPEC name. */
  params(): ParamRecord;
  /** Current AdamW state (copies), as `AdamW.getState()` returns it. */
  optimizerState(): AdamWState;
  /** Free native memory; the engine is unusable afterwards. */
  dispose(): void;
}

/** What a `StepEngineFactory` starts from. */
export interface StepEngineInit {
  config: ModelConfig;
  trainConfig: TrainConfig;
  /** Initial parameters (every one of `paramShapes(config)`). */
  params: ParamRecord;
  /** AdamW state to continue from (a checkpoint's), or null for fresh moments. */
  optimizer: AdamWState | null;
  /** Largest batch `computeGradients` will see. */
  maxBatch: number;
}

/** Creates a `StepEngine` for one training run. */
export type StepEngineFactory = (init: StepEngineInit) => StepEngine;
