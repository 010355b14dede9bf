import {
  DEFAULT_EPOCHS,
  evalPeriod,
  resolveTrainConfig,
  scheduleOf,
  stepsPerEpoch,
  totalSteps,
  type TrainConfigInput,
} from './train-config';
import { TrainConfigError, TrainingError } from './training-error';

describe('resolveTrainConfig', () => {
  it('fills the defaults (original recipe except lr) and is idempotent', () => {
    const c = resolveTrainConfig();
    expect(c).toMatchObject({
      seed: 0,
      lr: 1e-3,
      minLr: 0,
      batchSize: 128,
      epochs: DEFAULT_EPOCHS,
      steps: null,
      warmupFraction: 0.1,
      schedule: 'cosine',
      weightDecay: 0.01,
      weightDecayScope: 'all',
      betas: [0.9, 0.98],
      eps: 1e-8,
      loss: 'target',
      evalEvery: null,
      gradClip: null,
    });
    expect(c.dataset).toMatchObject({ seed: 0, count: 6000, trainSize: 5500, seqLength: 30, prefixLength: 4 });
    expect(stepsPerEpoch(c)).toBe(42);
    expect(totalSteps(c)).toBe(42 * DEFAULT_EPOCHS);
    expect(evalPeriod(c)).toBe(42);
    expect(resolveTrainConfig(JSON.parse(JSON.stringify(c)) as TrainConfigInput)).toEqual(c);
  });

  it('derives the dataset seed from seed unless given, and steps override epochs', () => {
    expect(resolveTrainConfig({ seed: 7 }).dataset.seed).toBe(7);
    expect(resolveTrainConfig({ seed: 7, dataset: { seed: 3 } }).dataset.seed).toBe(3);
    const c = resolveTrainConfig({ steps: 50, batchSize: 16, dataset: { count: 200 } });
    expect(c.epochs).toBeNull();
    expect(totalSteps(c)).toBe(50);
    expect(scheduleOf(c)).toEqual({ schedule: 'cosine', lr: 1e-3, minLr: 0, warmupSteps: 5, totalSteps: 50 });
    expect(scheduleOf(resolveTrainConfig({ steps: 50, warmupSteps: 7 })).warmupSteps).toBe(7);
  });

  it.each<[TrainConfigInput, string, string]>([
    [{ lr: -1 }, 'lr', '-1'],
    [{ lr: Number.NaN }, 'lr', 'NaN'],
    [{ batchSize: 0 }, 'batchSize', '0'],
    [{ batchSize: 6000 }, 'batchSize', '1..5500'],
    [{ epochs: 2, steps: 3 }, 'steps', 'one of epochs or steps'],
    [{ schedule: 'linear' as never }, 'schedule', '"cosine", "constant"'],
    [{ loss: 'last' as never }, 'loss', '"all", "target"'],
    [{ weightDecayScope: 'bias' as never }, 'weightDecayScope', '"all", "kernels"'],
    [{ betas: [0.9, 1] }, 'betas', '[0, 1)'],
    [{ warmupFraction: 2 }, 'warmupFraction', '[0, 1]'],
    [{ gradClip: 0 }, 'gradClip', '> 0'],
    [{ seed: -1 }, 'seed', '0..4294967295'],
    [{ minLr: 1 }, 'minLr', '[0, lr'],
    [{ dataset: { count: 0 } }, 'dataset.count', 'count'],
    [{ learningRate: 1 } as never, 'learningRate', 'valid options'],
  ])('rejects %j naming the option and the valid values', (input, option, mention) => {
    let error: unknown;
    try {
      resolveTrainConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainConfigError);
    expect(error).toBeInstanceOf(TrainingError);
    const e = error as TrainConfigError;
    expect(e.code).toBe('INVALID_TRAIN_CONFIG');
    expect(e.option).toBe(option);
    expect(e.message).toContain(mention);
  });
});
