/**
 * The training loop: AdamW (PyTorch semantics) + warmup/cosine schedule on the copy
 * task, with periodic evaluation, checkpoints, progress callbacks, clean abort and exact
 * resume.
 *
 * Determinism: step s (0-based) of the run uses the batch `s mod stepsPerEpoch` of
 * `batchIterator(train, { batchSize, seed: trainConfig.seed, epoch: floor(s /
 * stepsPerEpoch), dropLast: true })` and the learning rate `lrAt(s, schedule)`. A
 * checkpoint stores parameters, AdamW moments and step count exactly (F32), so resuming
 * from it continues with the same batches and updates: on one backend the losses equal
 * those of an uninterrupted run bit for bit.
 */
import './gradients';
import * as tf from '@tensorflow/tfjs-core';
import { batchIterator, generateCopyTask, type CopyTaskSplit } from '@ihc/copy-task';
import { createAdamW, decaysWeight, type AdamW } from './adamw';
import { CheckpointError, checkpointExists, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { resolveModelConfig, type ModelConfig } from './config';
import { describeValue } from './errors';
import { forward } from './forward';
import { clipGradNorm } from './grad-clip';
import type { StepEngine, StepEngineFactory } from './step-engine';
import { crossEntropyLoss } from './loss';
import { argmaxAt, copyHits, evaluate, type EvalBatchInfo, type EvaluationResult } from './metrics';
import { disposeParams, initParams, paramsFromRecord, paramsToRecordAsync, type Params } from './params';
import { lrAt } from './schedule';
import {
  evalPeriod,
  resolveTrainConfig,
  scheduleOf,
  stepsPerEpoch,
  totalSteps,
  type TrainConfig,
  type TrainConfigInput,
} from './train-config';
import { TrainConfigError, TrainingError } from './training-error';

/** Metrics of one optimizer step (a `metrics.jsonl` "step" line without its type). */
export interface StepMetrics {
  /** Optimizer steps completed, this one included (1-based). */
  step: number;
  /** 0-based epoch this step belongs to. */
  epoch: number;
  /** Training loss of this step's batch (before the update). */
  loss: number;
  /** Learning rate used by this step. */
  lr: number;
  /** Fraction of the batch copied correctly (argmax at the query position, before the update). */
  copyAccuracy: number;
  /** batchSize * T / (wall seconds of this step's forward + backward + update). */
  tokensPerSec: number;
  /** Wall seconds since the run started (earlier sessions of a resumed run included). */
  seconds: number;
}

/** Split names. */
export type SplitName = 'train' | 'eval';

/** Result of one evaluation during training. */
export interface EvalMetrics extends EvaluationResult {
  step: number;
  epoch: number;
  split: SplitName;
  seconds: number;
}

/** Called after a checkpoint was written. */
export interface CheckpointInfo {
  dir: string;
  step: number;
  epoch: number;
  reason: 'periodic' | 'final' | 'abort';
}

/** Progress callbacks; each may return a promise, which is awaited. */
export interface TrainCallbacks {
  onStep?: (metrics: StepMetrics) => void | Promise<void>;
  onEval?: (metrics: EvalMetrics) => void | Promise<void>;
  /** Every batch of every evaluation (attention included, disposed afterwards). */
  onEvalBatch?: (info: EvalBatchInfo & { split: SplitName; step: number }) => void | Promise<void>;
  onCheckpoint?: (info: CheckpointInfo) => void | Promise<void>;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Model hyper-parameters (missing ones take their defaults). */
  modelConfig: Partial<ModelConfig>;
  /** Training hyper-parameters (missing ones take their defaults). */
  trainConfig?: TrainConfigInput;
  /**
   * Initial parameters, updated in place and returned (default: `initParams(config,
   * trainConfig.seed)`). When resuming they are overwritten with the checkpoint's values.
   */
  params?: Params;
  /**
   * Pre-generated splits; by default `generateCopyTask(trainConfig.dataset)`. They must
   * be the ones `trainConfig.dataset` describes for checkpoints to be meaningful.
   */
  data?: { train: CopyTaskSplit; eval: CopyTaskSplit };
  /** Directory for checkpoints; none are written without it. */
  checkpointDir?: string;
  /** Checkpoint every this many steps (default: at each evaluation, or each epoch when evalEvery is 0); always at the end and on abort. */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpointDir` when there is one (else start afresh). */
  resume?: boolean;
  /** Stops the run after the current step (a checkpoint is written when `checkpointDir` is set). */
  signal?: AbortSignal;
  callbacks?: TrainCallbacks;
  /** Splits evaluated periodically and at the end (default ['eval']). */
  evalSplits?: SplitName[];
  /** Batch size of evaluations (default trainConfig.batchSize). */
  evalBatchSize?: number;
  /**
   * Run each optimizer step on this engine instead of TF.js (e.g. `nativeEngine()` of
   * `@ihc/native`). Evaluation, checkpoints and the returned parameters still use the
   * TF.js variables, which receive the engine's parameters before each of them.
   */
  engine?: StepEngineFactory;
}

/** Result of {@link train}. */
export interface TrainResult {
  /** 'completed' after the last step, 'aborted' when the signal stopped it. */
  status: 'completed' | 'aborted';
  /** The trained parameters (the caller disposes them). */
  params: Params;
  modelConfig: ModelConfig;
  trainConfig: TrainConfig;
  /** Optimizer steps completed. */
  step: number;
  totalSteps: number;
  /** Epoch of the next step (= epochs completed when the run is complete). */
  epoch: number;
  /** Loss of the last step taken in this call, or null when none was. */
  lastLoss: number | null;
  /** Latest evaluation per split. */
  lastEval: Partial<Record<SplitName, EvalMetrics>>;
  /** Step the run resumed from, or null when it started afresh. */
  resumedFrom: number | null;
  /** Wall seconds of the whole run (earlier sessions included). */
  seconds: number;
}

function now(): number {
  return performance.now() / 1000;
}

/** Let timers and signal handlers (e.g. SIGINT -> abort) run between steps. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** Training-config fields that may differ between a checkpoint and a resumed run. */
const RESUME_FREE_FIELDS: readonly (keyof TrainConfig)[] = ['evalEvery'];

function trainConfigDiff(a: TrainConfig, b: TrainConfig): (keyof TrainConfig)[] {
  return (Object.keys(a) as (keyof TrainConfig)[]).filter(
    (k) => !RESUME_FREE_FIELDS.includes(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
}

/**
 * Train a model on the copy task (see the file comment for the order of batches and
 * for resume). Throws `TrainingError` 'NON_FINITE_LOSS' (with the 0-based `step`) as soon
 * as a batch's loss is NaN or infinite, before that step's update, without writing a
 * checkpoint (earlier checkpoints stay intact); 'INCOMPATIBLE_DATA' when the data do
 * not fit the model; `CheckpointError` when resuming from a damaged or different run.
 * When it throws, parameters it created are disposed; parameters passed in keep the
 * values of the last good step (the failing step's update is never applied).
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const config = resolveModelConfig(options.modelConfig);
  const tc = resolveTrainConfig(options.trainConfig ?? {});
  const callbacks = options.callbacks ?? {};
  const evalSplits = options.evalSplits ?? ['eval'];
  const data = options.data ?? generateCopyTask(tc.dataset);
  const t = data.train.seqLength - 1;
  const maxId = tc.dataset.vocabulary.length; // the induction token
  if (maxId >= config.vocabSize || t > config.maxSeqLength) {
    throw new TrainingError(
      'INCOMPATIBLE_DATA',
      `The copy task (ids 0..${maxId}, inputs of ${t} tokens) does not fit the model (vocabSize ${config.vocabSize}, maxSeqLength ${config.maxSeqLength}).`,
    );
  }
  if (data.train.count !== tc.dataset.trainSize) {
    throw new TrainingError(
      'INCOMPATIBLE_DATA',
      `The train split has ${data.train.count} samples but trainConfig.dataset.trainSize is ${tc.dataset.trainSize}.`,
    );
  }
  const perEpoch = stepsPerEpoch(tc);
  const total = totalSteps(tc);
  const schedule = scheduleOf(tc);
  const period = evalPeriod(tc);
  const ckptEvery = options.checkpointEvery ?? (period > 0 ? period : perEpoch);
  if (!Number.isInteger(ckptEvery) || ckptEvery < 0) {
    throw new TrainConfigError(
      'checkpointEvery',
      ckptEvery,
      `Invalid train option checkpointEvery: ${describeValue(ckptEvery)}; expected an integer >= 0 (0: only at the end and on abort).`,
    );
  }
  const dir = options.checkpointDir;

  let params = options.params;
  let step = 0;
  let secondsBefore = 0;
  let resumedFrom: number | null = null;
  const checkpoint = options.resume && dir !== undefined && checkpointExists(dir) ? loadCheckpoint(dir, { config }) : null;
  if (checkpoint) {
    const diff = trainConfigDiff(checkpoint.train, tc);
    if (diff.length > 0) {
      throw new CheckpointError(
        'MISMATCH',
        dir as string,
        `Cannot resume: the checkpoint's train config differs in ${diff
          .map((k) => `${k} (checkpoint ${describeValue(checkpoint.train[k])}, now ${describeValue(tc[k])})`)
          .join(', ')}.`,
      );
    }
    if (checkpoint.optimizer === null) {
      throw new CheckpointError('MISSING', dir as string, `Cannot resume from ${dir}: the checkpoint has no optimizer state.`);
    }
    if (params) {
      for (const [name, w] of Object.entries(checkpoint.weights)) {
        tf.tidy(() => (params as Params)[name].assign(tf.tensor(w.data, w.shape, 'float32')));
      }
    } else {
      params = paramsFromRecord(checkpoint.weights, config);
    }
    step = checkpoint.step;
    resumedFrom = step;
    const s = checkpoint.extra.seconds;
    secondsBefore = typeof s === 'number' ? s : 0;
  }
  if (!params) params = initParams(config, tc.seed);
  const model: Params = params;
  const ownParams = options.params === undefined;

  let optimizer: AdamW | null = null;
  let engine: StepEngine | null = null;
  if (options.engine) {
    try {
      engine = options.engine({
        config,
        trainConfig: tc,
        params: await paramsToRecordAsync(model),
        optimizer: checkpoint?.optimizer ?? null,
        maxBatch: tc.batchSize,
      });
    } catch (error) {
      if (ownParams) disposeParams(model);
      throw error;
    }
  } else {
    optimizer = createAdamW(model, {
      lr: tc.lr,
      betas: tc.betas,
      eps: tc.eps,
      weightDecay: tc.weightDecay,
      decay: (name) => decaysWeight(name, tc.weightDecayScope),
    });
    if (checkpoint?.optimizer) {
      try {
        optimizer.setState(checkpoint.optimizer);
      } catch (error) {
        optimizer.dispose();
        if (ownParams) disposeParams(model);
        throw new CheckpointError('MISMATCH', dir as string, `Cannot resume from ${dir}: ${(error as Error).message}`);
      }
    }
  }
  const start = now();
  const elapsed = (): number => secondsBefore + (now() - start);
  let lastLoss: number | null = null;
  const lastEval: Partial<Record<SplitName, EvalMetrics>> = {};
  let lastEvalStep = -1;
  let lastCkptStep = checkpoint ? step : -1;

  const epochOf = (s: number): number => Math.floor(s / perEpoch);

  const writeCheckpoint = async (reason: CheckpointInfo['reason']): Promise<void> => {
    if (dir === undefined) return;
    // asynchronous reads: webgpu in Node has no synchronous ones
    // (an engine's values reach the TF.js variables at evaluations and at the end)
    const [weights, optimizerState] = engine
      ? [engine.params(), engine.optimizerState()]
      : await Promise.all([paramsToRecordAsync(model), (optimizer as AdamW).getStateAsync()]);
    saveCheckpoint(dir, {
      config,
      train: tc,
      step,
      epoch: epochOf(step),
      params: weights,
      optimizer: optimizerState,
      prng: { kind: 'epoch-permutation', seed: tc.seed, epoch: epochOf(step), batchInEpoch: step % perEpoch },
      extra: { seconds: elapsed(), lastLoss },
    });
    lastCkptStep = step;
    await callbacks.onCheckpoint?.({ dir, step, epoch: epochOf(step), reason });
  };

  // The engine's parameters are newer than the TF.js variables after a step on it.
  let engineAhead = false;
  const syncEngineParams = (): void => {
    if (!engine || !engineAhead) return;
    for (const [name, w] of Object.entries(engine.params())) {
      tf.tidy(() => model[name].assign(tf.tensor(w.data, w.shape, 'float32')));
    }
    engineAhead = false;
  };

  const runEval = async (): Promise<void> => {
    lastEvalStep = step;
    syncEngineParams();
    for (const split of evalSplits) {
      const result = await evaluate(model, config, data[split], {
        batchSize: options.evalBatchSize ?? tc.batchSize,
        loss: tc.loss,
        onBatch: callbacks.onEvalBatch ? (info) => callbacks.onEvalBatch?.({ ...info, split, step }) : undefined,
      });
      const metrics: EvalMetrics = { ...result, step, epoch: epochOf(Math.max(0, step - 1)), split, seconds: elapsed() };
      lastEval[split] = metrics;
      await callbacks.onEval?.(metrics);
    }
  };

  const trainable = optimizer ? optimizer.names : [];
  const varNames = new Map<string, string>();
  for (const name of trainable) varNames.set(model[name].name, name);
  const varList = trainable.map((n) => model[n]);
  const tokensPerBatch = tc.batchSize * t;
  /** One step on TF.js: `tf.variableGrads` of forward + loss, optional clipping, AdamW. */
  const tfStep = async (
    batch: { inputs: Int32Array; labels: Int32Array; queryPos: Int32Array; size: number },
    lr: number,
    nonFinite: (loss: number) => TrainingError,
  ): Promise<{ loss: number; preds: Int32Array }> => {
    const tfOptimizer = optimizer as AdamW;
    const x = tf.tensor2d(batch.inputs, [batch.size, t], 'int32');
    const y = tf.tensor2d(batch.labels, [batch.size, t], 'int32');
    const q = tf.tensor1d(batch.queryPos, 'int32');
    const kept: tf.Tensor[] = [];
    let value: tf.Scalar | null = null;
    const grads: Record<string, tf.Tensor> = {};
    let clipped: Record<string, tf.Tensor> | null = null;
    let loss: number;
    let preds: Int32Array;
    try {
      const result = tf.variableGrads(() => {
        const out = forward(model, config, x);
        kept.push(tf.keep(argmaxAt(out.logits, q)));
        return crossEntropyLoss(out.logits, y, { mode: tc.loss, queryPos: q });
      }, varList);
      value = result.value;
      for (const [varName, g] of Object.entries(result.grads)) grads[varNames.get(varName) ?? varName] = g;
      loss = ((await value.data()) as Float32Array)[0];
      if (!Number.isFinite(loss)) throw nonFinite(loss);
      if (tc.gradClip !== null) {
        clipped = (await clipGradNorm(grads, tc.gradClip)).grads;
        tfOptimizer.step(clipped, lr);
      } else {
        tfOptimizer.step(grads, lr);
      }
      preds = Int32Array.from((await kept[0].data()) as Int32Array);
    } finally {
      tf.dispose([x, y, q, ...kept, ...Object.values(grads), ...Object.values(clipped ?? {})]);
      value?.dispose();
    }
    return { loss, preds };
  };

  let status: TrainResult['status'] = 'completed';

  try {
    outer: while (step < total) {
      if (options.signal?.aborted) {
        status = 'aborted';
        break;
      }
      const epoch = epochOf(step);
      let index = 0;
      const skip = step % perEpoch;
      for (const batch of batchIterator(data.train, { batchSize: tc.batchSize, seed: tc.seed, epoch, dropLast: true })) {
        if (index++ < skip) continue;
        if (step >= total) break outer;
        const t0 = now();
        const lr = lrAt(step, schedule);
        const nonFinite = (loss: number): TrainingError =>
          new TrainingError(
            'NON_FINITE_LOSS',
            `Training loss is ${loss} at step ${step + 1} (0-based step ${step}, epoch ${epoch}, lr ${lr}); ` +
              'stopped before applying this update. Try a lower lr, warmup or gradClip.',
            step,
          );
        let loss: number;
        let preds: Int32Array;
        if (engine) {
          const result = engine.computeGradients({
            inputs: batch.inputs,
            labels: batch.labels,
            queryPos: batch.queryPos,
            size: batch.size,
            length: t,
          });
          loss = result.loss;
          if (!Number.isFinite(loss)) throw nonFinite(loss);
          engine.applyUpdate(lr);
          engineAhead = true;
          preds = result.preds;
        } else {
          ({ loss, preds } = await tfStep(batch, lr, nonFinite));
        }
        const stepSeconds = now() - t0;
        step += 1;
        lastLoss = loss;
        await callbacks.onStep?.({
          step,
          epoch,
          loss,
          lr,
          copyAccuracy: copyHits(preds, batch.labels, batch.queryPos, t) / batch.size,
          tokensPerSec: stepSeconds > 0 ? tokensPerBatch / stepSeconds : 0,
          seconds: elapsed(),
        });
        if (period > 0 && step % period === 0 && step < total) await runEval();
        if (ckptEvery > 0 && step % ckptEvery === 0 && step < total) await writeCheckpoint('periodic');
        await yieldToEventLoop();
        if (options.signal?.aborted) {
          status = 'aborted';
          break outer;
        }
      }
    }
    if (status === 'completed' && lastEvalStep !== step) await runEval();
    if (lastCkptStep !== step || status === 'aborted') await writeCheckpoint(status === 'aborted' ? 'abort' : 'final');
    syncEngineParams();
  } catch (error) {
    // The caller never sees parameters created here when training fails: free them.
    if (ownParams) disposeParams(model);
    // Parameters passed in get the last good step's values (a failing step never updates).
    else syncEngineParams();
    throw error;
  } finally {
    optimizer?.dispose();
    engine?.dispose();
  }
  return {
    status,
    params: model,
    modelConfig: config,
    trainConfig: tc,
    step,
    totalSteps: total,
    epoch: epochOf(step),
    lastLoss,
    lastEval,
    resumedFrom,
    seconds: elapsed(),
  };
}
