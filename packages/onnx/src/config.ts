import { OnnxError, describeValue } from './errors';

/**
 * The model configuration an export needs; structurally the same as `@ihc/model`'s
 * `ModelConfig` (docs/SPEC.md), so a model's config can be passed as it is.
 */
export interface ModelConfig {
  vocabSize: number;
  maxSeqLength: number;
  embedSize: number;
  numHeads: number;
  numLayers: number;
  posEmbed: 'learnable' | 'trigonometric' | 'none';
  posInit: 'normal' | 'ones';
  norm: 'pre' | 'post' | 'none';
  softmax: 'vanilla' | 'off-by-one';
  precision: 'fp' | '1bit' | '1.58bit' | 'frozen-sign';
  activationBits: 8 | null;
  activationScaling: 'per-token' | 'per-tensor';
  initStd: number;
}

/** Plain parameter data by SPEC name (TF.js kernel layout `[in, out]`). */
export type WeightRecord = Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>;

/** A trained (or initialised) model as plain data: `@ihc/model`'s `paramsToRecord` output plus its config. */
export interface ExportableModel {
  config: ModelConfig;
  weights: WeightRecord;
}

const ENUMS: Record<string, readonly unknown[]> = {
  posEmbed: ['learnable', 'trigonometric', 'none'],
  posInit: ['normal', 'ones'],
  norm: ['pre', 'post', 'none'],
  softmax: ['vanilla', 'off-by-one'],
  precision: ['fp', '1bit', '1.58bit', 'frozen-sign'],
  activationBits: [8, null],
  activationScaling: ['per-token', 'per-tensor'],
};
const SIZES = ['vocabSize', 'maxSeqLength', 'embedSize', 'numHeads', 'numLayers'] as const;

/** A Float32Array, also one made in another realm (worker, vm context). */
function isFloat32Array(x: unknown): x is Float32Array {
  return Object.prototype.toString.call(x) === '[object Float32Array]';
}

/** Throws OnnxError INVALID_MODEL naming the first bad option. */
export function validateConfig(config: ModelConfig): void {
  if (config === null || typeof config !== 'object') {
    throw new OnnxError('INVALID_MODEL', `model.config must be a ModelConfig object; got ${describeValue(config)}`);
  }
  for (const k of SIZES) {
    const v = config[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new OnnxError('INVALID_MODEL', `config.${k} must be a positive integer; got ${describeValue(v)}`);
    }
  }
  for (const [k, valid] of Object.entries(ENUMS)) {
    const v = (config as unknown as Record<string, unknown>)[k];
    if (!valid.includes(v)) {
      throw new OnnxError(
        'INVALID_MODEL',
        `config.${k} is ${describeValue(v)}; valid values: ${valid.map((x) => describeValue(x)).join(', ')}`,
      );
    }
  }
  if (config.embedSize % config.numHeads !== 0) {
    throw new OnnxError(
      'INVALID_MODEL',
      `config.numHeads ${config.numHeads} does not divide config.embedSize ${config.embedSize}`,
    );
  }
}

/** Parameter names and shapes of a config (docs/SPEC.md, @ihc/model). */
export function expectedShapes(config: ModelConfig): Record<string, number[]> {
  const d = config.embedSize;
  const shapes: Record<string, number[]> = { tok_embed: [config.vocabSize, d] };
  if (config.posEmbed === 'learnable') shapes.pos_embed = [config.maxSeqLength, d];
  if (config.norm !== 'none') {
    shapes['ln.gamma'] = [d];
    shapes['ln.beta'] = [d];
  }
  for (let i = 0; i < config.numLayers; i++) {
    for (const p of ['q', 'k', 'v', 'o']) {
      shapes[`layers.${i}.attn.${p}.kernel`] = [d, d];
      shapes[`layers.${i}.attn.${p}.bias`] = [d];
    }
  }
  shapes['unembed.kernel'] = [d, config.vocabSize];
  return shapes;
}

/**
 * Checks that `weights` has every parameter of `config` with the right shape and data
 * length. Optimiser state (`optim.*`) is ignored; any other unknown name throws.
 */
export function validateWeights(config: ModelConfig, weights: WeightRecord): void {
  if (weights === null || typeof weights !== 'object') {
    throw new OnnxError('INVALID_MODEL', `model.weights must be a record of {shape, data}; got ${describeValue(weights)}`);
  }
  const shapes = expectedShapes(config);
  const names = Object.keys(shapes);
  for (const name of names) {
    const w = weights[name];
    if (w === undefined) {
      throw new OnnxError('INVALID_MODEL', `missing weight ${name}; this config needs: ${names.join(', ')}`);
    }
    const want = shapes[name];
    if (!Array.isArray(w.shape) || w.shape.length !== want.length || w.shape.some((s, i) => s !== want[i])) {
      throw new OnnxError(
        'INVALID_MODEL',
        `weight ${name} has shape ${describeValue(w.shape)}; expected [${want.join(', ')}]`,
      );
    }
    const size = want.reduce((a, b) => a * b, 1);
    if (!isFloat32Array(w.data) || w.data.length !== size) {
      throw new OnnxError(
        'INVALID_MODEL',
        `weight ${name} needs a Float32Array of ${size} values; got ${isFloat32Array(w.data) ? `${w.data.length} values` : describeValue(Object.prototype.toString.call(w.data))}`,
      );
    }
  }
  const extra = Object.keys(weights).filter((n) => !(n in shapes) && !n.startsWith('optim.'));
  if (extra.length > 0) {
    throw new OnnxError(
      'INVALID_MODEL',
      `unexpected weight(s) ${extra.join(', ')} for this config; expected only: ${names.join(', ')}`,
    );
  }
}
