import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError, loadCheckpoint } from './checkpoint';
import type { ModelConfig } from './config';
import { disposeParams, paramsToRecord } from './params';
import { lrAt } from './schedule';
import { useCpu } from './test-setup';
import { train, type CheckpointInfo, type EvalMetrics, type StepMetrics, type TrainOptions } from './trainer';
import { scheduleOf, resolveTrainConfig, type TrainConfigInput } from './train-config';
import { TrainingError } from './training-error';

beforeAll(useCpu);

// 20 train sentences of 6 tokens (inputs of 5), batch 4: 5 steps per epoch.
const modelConfig: Partial<ModelConfig> = { maxSeqLength: 5, embedSize: 8, numHeads: 2 };
const trainConfig: TrainConfigInput = {
  seed: 5,
  steps: 8,
  batchSize: 4,
  lr: 1e-2,
  loss: 'all',
  dataset: { count: 28, trainSize: 20, seqLength: 6, prefixLength: 2 },
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ihc-train-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(options: Partial<TrainOptions>) {
  const steps: StepMetrics[] = [];
  const evals: EvalMetrics[] = [];
  const checkpoints: CheckpointInfo[] = [];
  const result = await train({
    modelConfig,
    trainConfig,
    ...options,
    callbacks: {
      ...options.callbacks,
      onStep: (m) => {
        steps.push(m);
        return options.callbacks?.onStep?.(m);
      },
      onEval: (m) => void evals.push(m),
      onCheckpoint: (c) => void checkpoints.push(c),
    },
  });
  return { result, steps, evals, checkpoints };
}

describe('train', () => {
  it('reports step metrics with the scheduled lr, evaluates and checkpoints on schedule', async () => {
    const { result, steps, evals, checkpoints } = await run({
      checkpointDir: dir,
      trainConfig: { ...trainConfig, evalEvery: 3, loss: 'target', warmupSteps: 2 },
      evalSplits: ['eval', 'train'],
    });
    const schedule = scheduleOf(resolveTrainConfig({ ...trainConfig, warmupSteps: 2 }));
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps.map((s) => s.epoch)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(steps.map((s) => s.lr)).toEqual(steps.map((_, i) => lrAt(i, schedule)));
    expect(steps[0].lr).toBe(0); // warmup starts at 0, like LambdaLR + transformers' schedule
    for (const s of steps) {
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(s.copyAccuracy).toBeGreaterThanOrEqual(0);
      expect(s.copyAccuracy).toBeLessThanOrEqual(1);
      expect(s.tokensPerSec).toBeGreaterThan(0);
      expect(s.seconds).toBeGreaterThan(0);
    }
    // every 3 steps and at the end, for both splits
    expect(evals.map((e) => `${e.split}@${e.step}`)).toEqual(['eval@3', 'train@3', 'eval@6', 'train@6', 'eval@8', 'train@8']);
    expect(evals[0].sampleCount).toBe(8);
    expect(evals[1].sampleCount).toBe(20);
    expect(evals[0].loss).toBe(evals[0].lossTarget);
    expect(checkpoints.map((c) => `${c.reason}@${c.step}`)).toEqual(['periodic@3', 'periodic@6', 'final@8']);
    expect(result).toMatchObject({ status: 'completed', step: 8, totalSteps: 8, epoch: 1, resumedFrom: null });
    expect(result.lastLoss).toBe(steps[7].loss);
    expect(result.lastEval.eval).toBe(evals[4]);
    const saved = loadCheckpoint(dir);
    expect(saved.step).toBe(8);
    expect(saved.weights).toEqual(paramsToRecord(result.params));
    expect(saved.optimizer?.t).toBe(8);
    disposeParams(result.params);
  });

  it('keeps the number of live tensors constant across steps', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const { result } = await run({ callbacks: { onStep: () => void counts.push(tf.memory().numTensors) } });
    expect(counts.length).toBe(8);
    expect(new Set(counts).size).toBe(1);
    // afterwards only the returned parameters remain
    expect(tf.memory().numTensors).toBe(before + Object.keys(result.params).length);
    disposeParams(result.params);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops with NON_FINITE_LOSS naming the step, leaving the last checkpoint intact', async () => {
    const before = tf.memory().numTensors;
    let error: unknown;
    const seen: number[] = [];
    try {
      await run({
        checkpointDir: dir,
        checkpointEvery: 1,
        trainConfig: { ...trainConfig, lr: 1e30, schedule: 'constant', warmupSteps: 0 },
        callbacks: { onStep: (m) => void seen.push(m.loss) },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingError);
    const e = error as TrainingError;
    expect(e.code).toBe('NON_FINITE_LOSS');
    expect(e.step).toBe(seen.length);
    expect(e.message).toContain(`step ${seen.length + 1}`);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const saved = loadCheckpoint(dir);
    expect(saved.step).toBe(seen.length);
    expect(tf.memory().numTensors).toBe(before); // the parameters it created are freed
  });

  it('aborting then resuming gives the same losses and weights as an uninterrupted run (bit for bit)', async () => {
    const straight = await run({});
    const straightWeights = paramsToRecord(straight.result.params);
    disposeParams(straight.result.params);

    // Stop after step 6 (inside epoch 1), from a callback, as a user pressing Ctrl-C would.
    const controller = new AbortController();
    const first = await run({
      checkpointDir: dir,
      signal: controller.signal,
      callbacks: { onStep: (m) => void (m.step === 6 && controller.abort()) },
    });
    expect(first.result.status).toBe('aborted');
    expect(first.result.step).toBe(6);
    expect(first.checkpoints.map((c) => `${c.reason}@${c.step}`)).toEqual(['periodic@5', 'abort@6']);
    disposeParams(first.result.params);

    // A fresh start: no parameters passed, everything from the checkpoint.
    const second = await run({ checkpointDir: dir, resume: true });
    expect(second.result.resumedFrom).toBe(6);
    expect(second.result.status).toBe('completed');
    expect(second.steps.map((s) => s.step)).toEqual([7, 8]);
    const losses = [...first.steps, ...second.steps].map((s) => s.loss);
    expect(losses).toEqual(straight.steps.map((s) => s.loss));
    expect(paramsToRecord(second.result.params)).toEqual(straightWeights);
    expect(second.steps[0].seconds).toBeGreaterThan(first.steps[5].seconds);
    disposeParams(second.result.params);
  });

  it('resume starts afresh without a checkpoint and refuses a different train config', async () => {
    const fresh = await run({ checkpointDir: dir, resume: true, trainConfig: { ...trainConfig, steps: 2 } });
    expect(fresh.result.resumedFrom).toBeNull();
    disposeParams(fresh.result.params);
    await expect(
      run({ checkpointDir: dir, resume: true, trainConfig: { ...trainConfig, steps: 2, lr: 5e-3 } }),
    ).rejects.toThrow(CheckpointError);
    await expect(
      run({ checkpointDir: dir, resume: true, trainConfig: { ...trainConfig, steps: 2, lr: 5e-3 } }),
    ).rejects.toThrow(/lr \(checkpoint 0.01, now 0.005\)/);
    await expect(
      run({ checkpointDir: dir, resume: true, modelConfig: { ...modelConfig, embedSize: 16 }, trainConfig: { ...trainConfig, steps: 2 } }),
    ).rejects.toMatchObject({ code: 'MISMATCH' });
  });

  it('gradClip changes the updates; onEvalBatch sees every eval sample with its attention', async () => {
    const short = { ...trainConfig, steps: 2, evalEvery: 0 };
    const plain = await run({ trainConfig: short });
    const batches: number[][] = [];
    const clipped = await run({
      trainConfig: { ...short, gradClip: 1e-3 },
      callbacks: { onEvalBatch: (info) => void batches.push([info.step, info.offset, info.batch.size, info.attention.length]) },
      evalBatchSize: 5,
    });
    expect(clipped.steps[0].loss).toBe(plain.steps[0].loss);
    expect(clipped.steps[1].loss).not.toBe(plain.steps[1].loss);
    expect(batches).toEqual([
      [2, 0, 5, 2],
      [2, 5, 3, 2],
    ]);
    disposeParams(plain.result.params);
    disposeParams(clipped.result.params);
  });

  it('rejects data that do not fit the model', async () => {
    await expect(run({ modelConfig: { ...modelConfig, maxSeqLength: 4 } })).rejects.toMatchObject({
      code: 'INCOMPATIBLE_DATA',
    });
  });
});
