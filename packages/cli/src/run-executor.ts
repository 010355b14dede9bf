import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateCopyTask } from '@ihc/copy-task';
import {
  CheckpointError,
  disposeParams,
  evaluate,
  resolveModelConfig,
  resolveTrainConfig,
  totalSteps,
  train,
  type ModelConfig,
  type Params,
  type TrainConfigInput,
  type StepEngineFactory,
} from '@ihc/model';
import type { RunScores, SplitScores } from '@ihc/induction-score';
import { CliError } from './errors';
import type { Progress } from './progress';
import { appendJsonLine, readCompleteScores, readJsonIfValid, removeRunState, RUN_FILES, trimMetrics, writeJsonAtomic } from './run-files';
import type { RunSpec } from './run-spec';
import { createScoreAccumulator, type ScoreAccumulator } from './score-accumulator';
import { VERSIONS } from './versions';

export function modelConfigOf(spec: RunSpec): ModelConfig {
  return resolveModelConfig({
    embedSize: spec.embedSize,
    numHeads: spec.numHeads,
    numLayers: spec.numLayers,
    posEmbed: spec.posEmbed,
    posInit: spec.posInit,
    norm: spec.norm,
    softmax: spec.softmax,
    precision: spec.precision,
    activationScaling: spec.activationScaling,
  });
}

export function trainConfigOf(spec: RunSpec): TrainConfigInput {
  return {
    seed: spec.seed,
    lr: spec.lr,
    batchSize: spec.batchSize,
    ...(spec.steps !== undefined ? { steps: spec.steps } : { epochs: spec.epochs }),
    loss: spec.loss,
    warmupFraction: spec.warmupFraction,
    schedule: spec.schedule,
    weightDecay: spec.weightDecay,
    evalEvery: spec.evalEvery === 0 ? null : spec.evalEvery,
    dataset: { seed: spec.dataSeed, count: spec.count, trainSize: spec.trainSize },
  };
}

export interface RunContext {
  runDir: string;
  runId: string;
  sweep: string;
  spec: RunSpec;
  backend: string;
  /** The training step engine (`--backend native`); TF.js when absent. */
  engine?: StepEngineFactory;
  progress: Progress;
  signal?: AbortSignal;
  runIndex?: number;
  runCount?: number;
  /** Called with the run's remaining seconds estimate, for a sweep-level ETA. */
  onEta?: (runSeconds: number) => void;
}

export type RunOutcome =
  | { status: 'skipped'; scores: RunScores }
  | { status: 'complete'; scores: RunScores }
  | { status: 'aborted' };

function sameSpec(a: unknown, b: RunSpec): boolean {
  return JSON.stringify(a) === JSON.stringify(JSON.parse(JSON.stringify(b)));
}

/** Copies the per-layer attention of a batch out of TF.js and into an accumulator. */
async function addBatch(acc: ScoreAccumulator, info: { batch: { size: number; inputs: Int32Array; queryPos: Int32Array; keyPos: Int32Array }; attention: { data(): Promise<unknown>; shape: number[] }[] }): Promise<void> {
  const layers = await Promise.all(info.attention.map(async (a) => (await a.data()) as Float32Array));
  const [, heads, length] = info.attention[0].shape;
  acc.add({ layers, batch: info.batch.size, heads, length, tokens: info.batch.inputs, queryPos: info.batch.queryPos, keyPos: info.batch.keyPos });
}

/**
 * Runs one training to completion in `runDir` (DESIGN.md's run directory):
 * skips it when `scores.json` is valid; otherwise resumes from its checkpoint (a corrupt
 * or truncated checkpoint is detected and the run restarts from step 0), appends
 * metrics, then scores the final model on every sample of both splits and writes
 * `scores.json` last, atomically. Killing the process at any point loses at most the
 * steps since the last checkpoint.
 */
export async function executeRun(ctx: RunContext): Promise<RunOutcome> {
  const { runDir, spec, progress } = ctx;
  const done = readCompleteScores(runDir);
  if (done) {
    progress.emit({ type: 'run-skip', runId: ctx.runId, runIndex: ctx.runIndex, runCount: ctx.runCount, message: 'complete' });
    return { status: 'skipped', scores: done };
  }
  mkdirSync(runDir, { recursive: true });
  const configFile = join(runDir, RUN_FILES.config);
  const existing = readJsonIfValid(configFile) as { spec?: unknown } | undefined;
  if (existing && !sameSpec(existing.spec, spec)) {
    throw new CliError(`${runDir} holds a run with a different config; choose another --out or delete that directory`);
  }
  const modelConfig = modelConfigOf(spec);
  const trainConfig = trainConfigOf(spec);
  writeJsonAtomic(configFile, {
    runId: ctx.runId,
    sweep: ctx.sweep,
    spec,
    model: modelConfig,
    train: trainConfig,
    seed: spec.seed,
    backend: ctx.backend,
    versions: VERSIONS,
  });

  const metricsFile = join(runDir, RUN_FILES.metrics);
  const checkpointDir = join(runDir, RUN_FILES.checkpoint);
  const meta = readJsonIfValid(join(checkpointDir, 'checkpoint.json')) as { step?: number } | undefined;
  if (meta && typeof meta.step === 'number') trimMetrics(metricsFile, meta.step);
  else removeRunState(runDir);

  const data = generateCopyTask({ seed: spec.dataSeed, count: spec.count, trainSize: spec.trainSize });
  const rowSum = spec.softmax === 'off-by-one' ? 'at-most-one' : 'one';
  let evalAcc: ScoreAccumulator | undefined;
  const stepsTotal = totalSteps(resolveTrainConfig(trainConfig));
  const started = Date.now();
  let firstStep: number | undefined;

  const runTraining = () =>
    train({
      modelConfig,
      trainConfig,
      data,
      checkpointDir,
      resume: true,
      engine: ctx.engine,
      signal: ctx.signal,
      callbacks: {
        onStep: (m) => {
          appendJsonLine(metricsFile, { type: 'step', ...m });
          firstStep ??= m.step - 1;
          const done = m.step - firstStep;
          const eta = ((Date.now() - started) / 1000 / Math.max(1, done)) * (stepsTotal - m.step);
          ctx.onEta?.(eta);
          progress.emit({ type: 'step', runId: ctx.runId, runIndex: ctx.runIndex, runCount: ctx.runCount, step: m.step, totalSteps: stepsTotal, loss: m.loss, copyAccuracy: m.copyAccuracy, lr: m.lr, etaSeconds: eta });
        },
        onEvalBatch: async (info) => {
          evalAcc ??= createScoreAccumulator(modelConfig.numLayers, modelConfig.numHeads, rowSum);
          await addBatch(evalAcc, info);
        },
        onEval: (e) => {
          const scores = evalAcc?.finish();
          evalAcc = undefined;
          appendJsonLine(metricsFile, {
            type: 'eval', step: e.step, epoch: e.epoch, split: e.split, loss: e.loss, copyAccuracy: e.copyAccuracy,
            seconds: e.seconds, target: scores?.target.values, token: scores?.token.values,
          });
          progress.emit({ type: 'eval', runId: ctx.runId, runIndex: ctx.runIndex, runCount: ctx.runCount, step: e.step, message: `${e.split} loss ${e.loss.toFixed(4)} copy acc ${e.copyAccuracy.toFixed(3)}${scores ? ` | L2 max target ${Math.max(...scores.target.values.slice(-modelConfig.numHeads)).toFixed(3)}` : ''}` });
        },
      },
    });

  progress.emit({ type: 'run-start', runId: ctx.runId, runIndex: ctx.runIndex, runCount: ctx.runCount, message: `${ctx.backend}${meta?.step ? `, resuming at step ${meta.step}` : ''}` });
  let result;
  try {
    result = await runTraining();
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    progress.emit({ type: 'note', runId: ctx.runId, message: `${ctx.runId}: checkpoint unusable (${err.message}); restarting the run from step 0` });
    removeRunState(runDir);
    firstStep = undefined;
    result = await runTraining();
  }
  if (result.status === 'aborted') {
    disposeParams(result.params);
    return { status: 'aborted' };
  }
  try {
    const splits = await scoreSplits(result.params, modelConfig, data, rowSum, spec.batchSize, spec.loss);
    const scores: RunScores = {
      version: 1,
      config: {
        runId: ctx.runId,
        embedSize: spec.embedSize,
        numHeads: spec.numHeads,
        numLayers: spec.numLayers,
        norm: spec.norm,
        posEmbed: spec.posEmbed,
        precision: spec.precision,
        softmax: spec.softmax,
        seed: spec.seed,
      },
      steps: result.step,
      seconds: result.seconds,
      backend: ctx.backend,
      splits,
    };
    writeJsonAtomic(join(runDir, RUN_FILES.scores), scores);
    const e = splits.eval;
    progress.emit({ type: 'run-end', runId: ctx.runId, runIndex: ctx.runIndex, runCount: ctx.runCount, message: `eval copy acc ${e.copyAccuracy.toFixed(3)}, best target score ${Math.max(...e.scores.target.values).toFixed(3)}, best token score ${Math.max(...e.scores.token.values).toFixed(3)} (${result.seconds.toFixed(0)} s)` });
    return { status: 'complete', scores };
  } finally {
    disposeParams(result.params);
  }
}

/** Copy accuracy, loss and both induction scores of the final model on every sample of each split. */
export async function scoreSplits(
  params: Params,
  config: ModelConfig,
  data: { train: Parameters<typeof evaluate>[2]; eval: Parameters<typeof evaluate>[2] },
  rowSum: 'one' | 'at-most-one',
  batchSize: number,
  loss: 'all' | 'target',
): Promise<{ train: SplitScores; eval: SplitScores }> {
  const out: Partial<Record<'train' | 'eval', SplitScores>> = {};
  for (const split of ['train', 'eval'] as const) {
    const acc = createScoreAccumulator(config.numLayers, config.numHeads, rowSum);
    const r = await evaluate(params, config, data[split], { batchSize, loss, onBatch: (info) => addBatch(acc, info) });
    out[split] = { split, copyAccuracy: r.copyAccuracy, loss: r.loss, sampleCount: r.sampleCount, scores: acc.finish() };
  }
  return out as { train: SplitScores; eval: SplitScores };
}
