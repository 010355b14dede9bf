import { ModelConfigError, describeValue } from './errors';

/** Positional information added to the token embedding. */
export type PosEmbed = 'learnable' | 'trigonometric' | 'none';
/** Where the (single, shared) LayerNorm sits around each attention block. */
export type NormMode = 'pre' | 'post' | 'none';
/** Attention normalisation: softmax, or off-by-one softmax `exp(s) / (1 + sum exp(s))`. */
export type SoftmaxMode = 'vanilla' | 'off-by-one';
/**
 * Precision of the Q/K/V/O projections: full precision, BitNet 1-bit (trained through a
 * straight-through estimator), BitNet b1.58 ternary, or 1-bit with frozen latent weights
 * (the original study's untrainable +-1 projections).
 */
export type Precision = 'fp' | '1bit' | '1.58bit' | 'frozen-sign';
/** Initialisation of a learnable positional embedding: N(0, initStd) (ours) or ones (original). */
export type PosInit = 'normal' | 'ones';
/** Activation quantisation bits of BitLinear (`null`: activations are not quantised). */
export type ActivationBits = 8 | null;
/** Absmax scope of BitLinear's activation quantisation. */
export type ActivationScaling = 'per-token' | 'per-tensor';

/** Every valid value of each enumerated option. */
export const POS_EMBEDS: readonly PosEmbed[] = ['learnable', 'trigonometric', 'none'];
export const NORM_MODES: readonly NormMode[] = ['pre', 'post', 'none'];
export const SOFTMAX_MODES: readonly SoftmaxMode[] = ['vanilla', 'off-by-one'];
export const PRECISIONS: readonly Precision[] = ['fp', '1bit', '1.58bit', 'frozen-sign'];
export const POS_INITS: readonly PosInit[] = ['normal', 'ones'];
export const ACTIVATION_BITS: readonly ActivationBits[] = [8, null];
export const ACTIVATION_SCALINGS: readonly ActivationScaling[] = ['per-token', 'per-tensor'];

/** The attention-only transformer's hyper-parameters (see docs/SPEC.md, `@ihc/model`). */
export interface ModelConfig {
  /** Token vocabulary size V (27: a..z and '&'). */
  vocabSize: number;
  /** Longest input T the model accepts (29 = 30 tokens - 1). */
  maxSeqLength: number;
  /** Residual width d; must be divisible by `numHeads`. */
  embedSize: number;
  /** Attention heads per layer H; head size is d / H. */
  numHeads: number;
  /** Attention layers (2 in the study). */
  numLayers: number;
  posEmbed: PosEmbed;
  posInit: PosInit;
  norm: NormMode;
  softmax: SoftmaxMode;
  precision: Precision;
  activationBits: ActivationBits;
  activationScaling: ActivationScaling;
  /** Standard deviation of the normal initialisation of weights (0.02). */
  initStd: number;
}

/** Defaults: the study's task sizes, d 64, 4 heads, 2 layers, learnable positions, pre-norm, FP. */
export const defaultModelConfig: Readonly<ModelConfig> = Object.freeze({
  vocabSize: 27,
  maxSeqLength: 29,
  embedSize: 64,
  numHeads: 4,
  numLayers: 2,
  posEmbed: 'learnable',
  posInit: 'normal',
  norm: 'pre',
  softmax: 'vanilla',
  precision: 'fp',
  activationBits: 8,
  activationScaling: 'per-token',
  initStd: 0.02,
});

const OPTION_NAMES = Object.keys(defaultModelConfig) as (keyof ModelConfig)[];

function listValues(values: readonly unknown[]): string {
  return values.map((v) => describeValue(v)).join(', ');
}

function checkPositiveInteger(option: keyof ModelConfig, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ModelConfigError(
      option,
      value,
      `Invalid model option ${option}: ${describeValue(value)}; expected a positive integer.`,
    );
  }
  return value;
}

function checkEnum<T>(option: keyof ModelConfig, value: unknown, valid: readonly T[]): T {
  if (!valid.includes(value as T)) {
    throw new ModelConfigError(
      option,
      value,
      `Invalid model option ${option}: ${describeValue(value)}; valid values: ${listValues(valid)}.`,
    );
  }
  return value as T;
}

/**
 * Fill a partial configuration with `defaultModelConfig` and validate every option.
 * Strict: unknown option names, non-integer sizes, enum values outside their lists and
 * `embedSize % numHeads !== 0` throw `ModelConfigError` (code `INVALID_CONFIG`).
 * Options set to `undefined` take their default.
 */
export function resolveModelConfig(partial: Partial<ModelConfig> = {}): ModelConfig {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new ModelConfigError(
      'config',
      partial,
      `Invalid model config: ${describeValue(partial)}; expected an object with options ${OPTION_NAMES.join(', ')}.`,
    );
  }
  for (const key of Object.keys(partial)) {
    if (!(OPTION_NAMES as string[]).includes(key)) {
      throw new ModelConfigError(
        key,
        (partial as Record<string, unknown>)[key],
        `Unknown model option ${describeValue(key)}; valid options: ${OPTION_NAMES.join(', ')}.`,
      );
    }
  }
  const merged: Record<string, unknown> = { ...defaultModelConfig };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) merged[key] = value;
  }
  const config: ModelConfig = {
    vocabSize: checkPositiveInteger('vocabSize', merged.vocabSize),
    maxSeqLength: checkPositiveInteger('maxSeqLength', merged.maxSeqLength),
    embedSize: checkPositiveInteger('embedSize', merged.embedSize),
    numHeads: checkPositiveInteger('numHeads', merged.numHeads),
    numLayers: checkPositiveInteger('numLayers', merged.numLayers),
    posEmbed: checkEnum('posEmbed', merged.posEmbed, POS_EMBEDS),
    posInit: checkEnum('posInit', merged.posInit, POS_INITS),
    norm: checkEnum('norm', merged.norm, NORM_MODES),
    softmax: checkEnum('softmax', merged.softmax, SOFTMAX_MODES),
    precision: checkEnum('precision', merged.precision, PRECISIONS),
    activationBits: checkEnum('activationBits', merged.activationBits, ACTIVATION_BITS),
    activationScaling: checkEnum('activationScaling', merged.activationScaling, ACTIVATION_SCALINGS),
    initStd: merged.initStd as number,
  };
  if (typeof config.initStd !== 'number' || !Number.isFinite(config.initStd) || config.initStd <= 0) {
    throw new ModelConfigError(
      'initStd',
      merged.initStd,
      `Invalid model option initStd: ${describeValue(merged.initStd)}; expected a finite number > 0.`,
    );
  }
  if (config.embedSize % config.numHeads !== 0) {
    const divisors: number[] = [];
    for (let h = 1; h <= config.embedSize; h++) if (config.embedSize % h === 0) divisors.push(h);
    throw new ModelConfigError(
      'numHeads',
      config.numHeads,
      `Invalid model option numHeads: ${config.numHeads} does not divide embedSize ${config.embedSize}; ` +
        `valid head counts for embedSize ${config.embedSize}: ${divisors.join(', ')}.`,
    );
  }
  return config;
}

/** Head size d / H. */
export function headSize(config: ModelConfig): number {
  return config.embedSize / config.numHeads;
}
