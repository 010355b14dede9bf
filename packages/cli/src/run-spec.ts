import { CliError } from './errors';

export const POS_EMBEDS = ['learnable', 'trigonometric', 'none'] as const;
export const NORMS = ['pre', 'post', 'none'] as const;
export const SOFTMAXES = ['vanilla', 'off-by-one'] as const;
export const PRECISIONS = ['fp', '1bit', '1.58bit', 'frozen-sign'] as const;
export const LOSSES = ['all', 'target'] as const;
export const POS_INITS = ['normal', 'ones'] as const;
export const SCHEDULES = ['cosine', 'constant'] as const;
export const SCALINGS = ['per-token', 'per-tensor'] as const;

/** Everything that defines one training run, flat, as the CLI and sweep files spell it. */
export interface RunSpec {
  embedSize: number;
  numHeads: number;
  numLayers: number;
  posEmbed: (typeof POS_EMBEDS)[number];
  posInit: (typeof POS_INITS)[number];
  norm: (typeof NORMS)[number];
  softmax: (typeof SOFTMAXES)[number];
  precision: (typeof PRECISIONS)[number];
  activationScaling: (typeof SCALINGS)[number];
  seed: number;
  lr: number;
  batchSize: number;
  /** Exactly one of steps/epochs is set. */
  steps?: number;
  epochs?: number;
  loss: (typeof LOSSES)[number];
  warmupFraction: number;
  schedule: (typeof SCHEDULES)[number];
  weightDecay: number;
  /** Evaluate every N steps (0 = once per epoch). */
  evalEvery: number;
  /** Seed of the copy-task sentences; the same for every run of a sweep, so runs see the same data. */
  dataSeed: number;
  count: number;
  trainSize: number;
}

/** Our recipe (docs/RESULTS.md): learns the copy reliably in a few hundred steps. */
export const DEFAULT_RUN_SPEC: RunSpec = {
  embedSize: 64,
  numHeads: 4,
  numLayers: 2,
  posEmbed: 'learnable',
  posInit: 'normal',
  norm: 'pre',
  softmax: 'vanilla',
  precision: 'fp',
  activationScaling: 'per-token',
  seed: 1,
  lr: 1e-3,
  batchSize: 128,
  steps: 300,
  loss: 'target',
  warmupFraction: 0.1,
  schedule: 'cosine',
  weightDecay: 0.01,
  evalEvery: 100,
  dataSeed: 0,
  count: 6000,
  trainSize: 5500,
};

/** The original study's recipe (NOTES.md), for `--recipe original` and the paper preset's ablation. */
export const ORIGINAL_RUN_SPEC: Partial<RunSpec> = {
  lr: 3e-4,
  epochs: 500,
  steps: undefined,
  loss: 'all',
  posInit: 'ones',
  warmupFraction: 0.1,
  schedule: 'cosine',
  evalEvery: 0,
};

const SHORT: Record<string, string> = {
  'off-by-one': 'off1',
  trigonometric: 'trig',
  learnable: 'learn',
  'frozen-sign': 'frozen',
};

/** The six grid axes (plus seed) that always appear in a run id. */
const CORE_KEYS = ['embedSize', 'numHeads', 'norm', 'posEmbed', 'softmax', 'precision', 'seed'] as const;

/**
 * A readable, unique, filesystem-safe id for a run, e.g. `e64-h4-pre-learn-vanilla-fp-s1`.
 * `extraKeys` are further fields that vary within the sweep (e.g. lr), appended as key=value.
 */
export function runId(spec: RunSpec, extraKeys: readonly (keyof RunSpec)[] = []): string {
  const core = [
    `e${spec.embedSize}`,
    `h${spec.numHeads}`,
    spec.norm === 'none' ? 'nonorm' : spec.norm,
    spec.posEmbed === 'none' ? 'nopos' : SHORT[spec.posEmbed] ?? spec.posEmbed,
    SHORT[spec.softmax] ?? spec.softmax,
    SHORT[spec.precision] ?? spec.precision,
    `s${spec.seed}`,
  ];
  const extra = extraKeys
    .filter((k) => !(CORE_KEYS as readonly string[]).includes(k))
    .map((k) => `${k}${String(spec[k] ?? 'none')}`.replace(/[^A-Za-z0-9.+-]/g, '_'));
  return [...core, ...extra].join('-');
}

export function validateRunSpec(spec: RunSpec, where = 'run'): RunSpec {
  const posInt = (k: keyof RunSpec, min = 1): void => {
    const v = spec[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new CliError(`${where}: ${k} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
  };
  posInt('embedSize');
  posInt('numHeads');
  posInt('numLayers');
  posInt('batchSize');
  posInt('count', 2);
  posInt('trainSize');
  posInt('seed', 0);
  posInt('dataSeed', 0);
  posInt('evalEvery', 0);
  if (spec.embedSize % spec.numHeads !== 0) {
    throw new CliError(`${where}: embedSize ${spec.embedSize} is not divisible by numHeads ${spec.numHeads}; valid head counts divide the embed size`);
  }
  const oneOf = <T extends string>(k: keyof RunSpec, valid: readonly T[]): void => {
    if (!(valid as readonly unknown[]).includes(spec[k])) {
      throw new CliError(`${where}: ${k} must be one of ${valid.join('|')}, got ${JSON.stringify(spec[k])}`);
    }
  };
  oneOf('posEmbed', POS_EMBEDS);
  oneOf('posInit', POS_INITS);
  oneOf('norm', NORMS);
  oneOf('softmax', SOFTMAXES);
  oneOf('precision', PRECISIONS);
  oneOf('loss', LOSSES);
  oneOf('schedule', SCHEDULES);
  oneOf('activationScaling', SCALINGS);
  if ((spec.steps === undefined) === (spec.epochs === undefined)) {
    throw new CliError(`${where}: give exactly one of steps or epochs`);
  }
  if (spec.steps !== undefined) posInt('steps');
  if (spec.epochs !== undefined) posInt('epochs');
  if (!(spec.lr > 0) || !Number.isFinite(spec.lr)) throw new CliError(`${where}: lr must be a positive number, got ${spec.lr}`);
  if (!(spec.warmupFraction >= 0 && spec.warmupFraction < 1)) {
    throw new CliError(`${where}: warmupFraction must be in [0, 1), got ${spec.warmupFraction}`);
  }
  if (!(spec.weightDecay >= 0)) throw new CliError(`${where}: weightDecay must be >= 0, got ${spec.weightDecay}`);
  if (spec.trainSize >= spec.count) {
    throw new CliError(`${where}: trainSize ${spec.trainSize} must be smaller than count ${spec.count} (the rest is the eval split)`);
  }
  return spec;
}
