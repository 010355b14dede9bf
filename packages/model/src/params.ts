import * as tf from '@tensorflow/tfjs-core';
import { createPrng } from '@ihc/copy-task';
import type { ModelConfig } from './config';
import { ModelParamsError } from './errors';

/** The model's parameters by SPEC name (`tok_embed`, `layers.0.attn.q.kernel`, ...). */
export type Params = Record<string, tf.Variable>;

/** Plain-data form of parameters (for checkpoints, ONNX export, PyTorch comparison). */
export type ParamRecord = Record<string, { shape: number[]; data: Float32Array }>;

/** The four attention projections of a layer. */
export const PROJECTIONS = ['q', 'k', 'v', 'o'] as const;
export type Projection = (typeof PROJECTIONS)[number];

/** Name of a projection's kernel `[d, d]` (TF.js layout `[in, out]`). */
export function kernelName(layer: number, proj: Projection): string {
  return `layers.${layer}.attn.${proj}.kernel`;
}

/** Name of a projection's bias `[d]`. */
export function biasName(layer: number, proj: Projection): string {
  return `layers.${layer}.attn.${proj}.bias`;
}

/**
 * Every parameter name and shape for `config`, in SPEC order of definition:
 * `tok_embed [V,d]`, `pos_embed [T,d]` (learnable only), `ln.gamma`/`ln.beta [d]` (absent
 * when norm = none), `layers.{i}.attn.{q,k,v,o}.kernel [d,d]` and `.bias [d]`,
 * `unembed.kernel [d,V]`.
 */
export function paramShapes(config: ModelConfig): Record<string, number[]> {
  const d = config.embedSize;
  const shapes: Record<string, number[]> = { tok_embed: [config.vocabSize, d] };
  if (config.posEmbed === 'learnable') shapes.pos_embed = [config.maxSeqLength, d];
  if (config.norm !== 'none') {
    shapes['ln.gamma'] = [d];
    shapes['ln.beta'] = [d];
  }
  for (let i = 0; i < config.numLayers; i++) {
    for (const p of PROJECTIONS) {
      shapes[kernelName(i, p)] = [d, d];
      shapes[biasName(i, p)] = [d];
    }
  }
  shapes['unembed.kernel'] = [d, config.vocabSize];
  return shapes;
}

/** Parameter names sorted by code unit (`Array.prototype.sort`), the initialisation order. */
export function paramNames(config: ModelConfig): string[] {
  return Object.keys(paramShapes(config)).sort();
}

/** Whether a parameter is trained: every one except Q/K/V/O kernels under 'frozen-sign'. */
export function isTrainable(name: string, config: ModelConfig): boolean {
  return !(config.precision === 'frozen-sign' && /^layers\.\d+\.attn\.[qkvo]\.kernel$/.test(name));
}

type InitKind = 'normal' | 'zeros' | 'ones';

function initKind(name: string, config: ModelConfig): InitKind {
  if (name.endsWith('.bias') || name === 'ln.beta') return 'zeros';
  if (name === 'ln.gamma') return 'ones';
  if (name === 'pos_embed' && config.posInit === 'ones') return 'ones';
  return 'normal';
}

/**
 * Initial values as plain data, deterministic in `seed`. One `createPrng(seed)` stream
 * (`@ihc/copy-task`) feeds every normally-initialised parameter, visiting parameters in
 * `paramNames(config)` order (sorted names) and each one's elements in row-major order,
 * drawing `initStd * prng.nextNormal()` per element. Biases and `ln.beta` are 0 and
 * `ln.gamma` is 1 (no draws); `pos_embed` is N(0, initStd) for posInit 'normal' or 1 for
 * 'ones' (no draws).
 */
export function initParamRecord(config: ModelConfig, seed: number): ParamRecord {
  const prng = createPrng(seed);
  const shapes = paramShapes(config);
  const record: ParamRecord = {};
  for (const name of paramNames(config)) {
    const shape = shapes[name];
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    const kind = initKind(name, config);
    if (kind === 'ones') data.fill(1);
    else if (kind === 'normal') {
      for (let j = 0; j < size; j++) data[j] = config.initStd * prng.nextNormal();
    }
    record[name] = { shape: [...shape], data };
  }
  return record;
}

/** Fresh TF.js variables for a model, initialised as `initParamRecord` documents. */
export function initParams(config: ModelConfig, seed: number): Params {
  return paramsFromRecord(initParamRecord(config, seed), config);
}

/** Copy parameters out of TF.js (synchronous download) into plain Float32Arrays, sorted by name. */
export function paramsToRecord(params: Params): ParamRecord {
  const record: ParamRecord = {};
  for (const name of Object.keys(params).sort()) {
    const v = params[name];
    record[name] = { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) };
  }
  return record;
}

/**
 * `paramsToRecord` with asynchronous downloads (`await v.data()`): use it on GPU
 * backends; webgpu in Node cannot read synchronously at all.
 */
export async function paramsToRecordAsync(params: Params): Promise<ParamRecord> {
  const record: ParamRecord = {};
  for (const name of Object.keys(params).sort()) {
    const v = params[name];
    record[name] = { shape: [...v.shape], data: Float32Array.from((await v.data()) as Float32Array) };
  }
  return record;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Check that `record` has exactly the parameters of `config` with the right shapes and
 * data lengths; throws `ModelParamsError` naming the first problem.
 */
export function validateParamRecord(
  record: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>,
  config: ModelConfig,
): void {
  const shapes = paramShapes(config);
  const expected = Object.keys(shapes);
  const missing = expected.filter((n) => !(n in record));
  if (missing.length > 0) {
    throw new ModelParamsError(
      `Missing parameter(s) ${missing.join(', ')}; this config needs: ${expected.join(', ')}.`,
      missing[0],
    );
  }
  const extra = Object.keys(record).filter((n) => !(n in shapes));
  if (extra.length > 0) {
    throw new ModelParamsError(
      `Unexpected parameter(s) ${extra.join(', ')}; this config has only: ${expected.join(', ')}.`,
      extra[0],
    );
  }
  for (const name of expected) {
    const { shape, data } = record[name];
    if (!Array.isArray(shape) || !sameShape(shape, shapes[name])) {
      throw new ModelParamsError(
        `Parameter ${name} has shape [${String(shape)}]; expected [${shapes[name].join(', ')}].`,
        name,
      );
    }
    const size = shapes[name].reduce((a, b) => a * b, 1);
    if (data == null || typeof data.length !== 'number' || data.length !== size) {
      throw new ModelParamsError(
        `Parameter ${name} has ${data == null ? 'no data' : `${data.length} values`}; expected ${size} for shape [${shapes[name].join(', ')}].`,
        name,
      );
    }
  }
}

/**
 * TF.js variables from plain data, after `validateParamRecord`. Q/K/V/O kernels are
 * created non-trainable under precision 'frozen-sign'. Data is copied.
 */
export function paramsFromRecord(
  record: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>,
  config: ModelConfig,
): Params {
  validateParamRecord(record, config);
  const params: Params = {};
  for (const name of paramNames(config)) {
    const { shape, data } = record[name];
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    params[name] = tf.tidy(() =>
      tf.variable(tf.tensor(values, [...shape], 'float32'), isTrainable(name, config)),
    );
  }
  return params;
}

/** Dispose every variable of a model. */
export function disposeParams(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}

/** Total number of scalar parameters. */
export function countParams(config: ModelConfig): number {
  return Object.values(paramShapes(config)).reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
}
