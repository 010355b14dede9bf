import * as tf from '@tensorflow/tfjs-core';
import { bitLinear, bitLinearShared, denseMatMul, layerNorm } from '@ihc/bitlinear';
import './gradients';
import { causalAttention } from './attention';
import { oneHotFloat } from './one-hot';
import { resolveModelConfig, type ModelConfig } from './config';
import { ModelInputError, ModelParamsError } from './errors';
import { biasName, disposeParams, initParams, kernelName, paramShapes, type Params, type Projection } from './params';
import { sinusoidalEncoding } from './positional';

/** Epsilon of the shared LayerNorm (PyTorch's default). */
export const LAYER_NORM_EPS = 1e-5;

/** Token ids `[B,T]`: an int32 tensor, a flat Int32Array with its shape, or nested arrays. */
export type TokenIds = tf.Tensor | Int32Array | readonly (readonly number[])[];

/** What `forward` returns; the caller disposes the tensors. */
export interface ForwardResult {
  /** Unnormalised next-token scores `[B,T,V]`. */
  logits: tf.Tensor3D;
  /** Attention probabilities per layer, each `[B,H,T,T]` (query, key). */
  attention: tf.Tensor4D[];
}

function bitLinearOptions(config: ModelConfig): Parameters<typeof bitLinear>[3] {
  return {
    weightBits: config.precision === '1.58bit' ? 1.58 : 1,
    activationBits: config.activationBits,
    activationScaling: config.activationScaling,
    frozen: config.precision === 'frozen-sign',
  };
}

/**
 * One Q/K/V/O projection: `x @ W + b` (fp), else `bitLinear(x, W, b, ...)` with
 * weightBits 1 (1bit, frozen-sign) or 1.58 (1.58bit), the config's activation
 * quantisation, `frozen` for 'frozen-sign', and no LayerNorm affine parameters.
 */
export function projection(x: tf.Tensor3D, kernel: tf.Tensor, bias: tf.Tensor, config: ModelConfig): tf.Tensor3D {
  if (config.precision === 'fp') return denseMatMul(x, kernel, bias) as tf.Tensor3D;
  return bitLinear(x, kernel, bias, bitLinearOptions(config)) as tf.Tensor3D;
}

/**
 * The Q, K and V projections of one layer (`projection` with each kernel and bias):
 * `[q, k, v]`, each `[B, T, d]`. In 1-bit the BitLinear LayerNorm and activation
 * quantisation of the shared input run once (`bitLinearShared`; the same values as three
 * `bitLinear` calls); each kernel keeps its own mean and beta.
 */
export function qkvProjection(
  x: tf.Tensor3D,
  kernels: readonly [tf.Tensor, tf.Tensor, tf.Tensor],
  biases: readonly [tf.Tensor, tf.Tensor, tf.Tensor],
  config: ModelConfig,
): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] {
  if (config.precision !== 'fp') {
    return bitLinearShared(x, kernels, biases, bitLinearOptions(config)) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  }
  return [0, 1, 2].map((i) => denseMatMul(x, kernels[i], biases[i])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
}

function idsTensor(ids: TokenIds, shape: readonly number[] | undefined, config: ModelConfig): tf.Tensor2D {
  let tensor: tf.Tensor;
  if (ids instanceof tf.Tensor) {
    if (ids.rank !== 2) {
      throw new ModelInputError(`Token ids must have shape [batch, length]; got rank ${ids.rank} [${ids.shape.join(', ')}].`);
    }
    if (ids.dtype !== 'int32') {
      throw new ModelInputError(`Token ids must be an int32 tensor; got dtype ${ids.dtype}.`);
    }
    tensor = ids;
  } else {
    let flat: Int32Array;
    let dims: number[];
    if (ids instanceof Int32Array) {
      if (!shape || shape.length !== 2 || shape[0] * shape[1] !== ids.length) {
        throw new ModelInputError(
          `Token ids as an Int32Array need shape [batch, length] with batch*length = ${ids.length}; got ${shape ? `[${shape.join(', ')}]` : 'none'}.`,
        );
      }
      flat = ids;
      dims = [shape[0], shape[1]];
    } else if (Array.isArray(ids)) {
      const b = ids.length;
      const t = b > 0 ? ids[0].length : 0;
      if (ids.some((row) => !Array.isArray(row) || row.length !== t)) {
        throw new ModelInputError('Token ids as nested arrays must be rectangular [batch][length].');
      }
      flat = Int32Array.from(ids.flat());
      if (flat.some((v, i) => v !== ids[Math.floor(i / t)][i % t])) {
        throw new ModelInputError('Token ids must be integers.');
      }
      dims = [b, t];
    } else {
      throw new ModelInputError('Token ids must be an int32 tensor, an Int32Array with a shape, or nested number arrays.');
    }
    for (let i = 0; i < flat.length; i++) {
      if (flat[i] < 0 || flat[i] >= config.vocabSize) {
        throw new ModelInputError(`Token id ${flat[i]} at index ${i} is outside 0..${config.vocabSize - 1} (vocabSize ${config.vocabSize}).`);
      }
    }
    tensor = tf.tensor2d(flat, [dims[0], dims[1]], 'int32');
  }
  const [b, t] = tensor.shape;
  if (b < 1 || t < 1 || t > config.maxSeqLength) {
    if (tensor !== ids) tensor.dispose();
    throw new ModelInputError(
      `Token ids have shape [${b}, ${t}]; need batch >= 1 and 1 <= length <= maxSeqLength (${config.maxSeqLength}).`,
    );
  }
  return tensor as tf.Tensor2D;
}

function requireParams(params: Params, config: ModelConfig): void {
  const shapes = paramShapes(config);
  for (const name of Object.keys(shapes)) {
    const p = params[name];
    if (p === undefined) {
      throw new ModelParamsError(`Missing parameter ${name} for this config.`, name);
    }
    const want = shapes[name];
    if (p.shape.length !== want.length || p.shape.some((s, i) => s !== want[i])) {
      throw new ModelParamsError(`Parameter ${name} has shape [${p.shape.join(', ')}]; expected [${want.join(', ')}].`, name);
    }
  }
}

/**
 * The forward pass of docs/SPEC.md (`@ihc/model`):
 * ```
 * x = onehot(ids) @ tok_embed + pos            (pos: pos_embed[:T] | sinusoid(T, d) | 0)
 * per layer: pre  x = x + attn(LN(x)); post x = x + LN(attn(x)); none x = x + attn(x)
 * logits = x @ unembed.kernel                   (no final norm)
 * ```
 * with one LayerNorm (`ln.gamma`, `ln.beta`) shared by every layer. Runs in `tf.tidy`;
 * only the returned tensors survive (the caller disposes them). `ids` is an int32
 * tensor `[B,T]` (not disposed), an Int32Array with `shape`, or nested arrays; array
 * inputs are range-checked against vocabSize.
 */
export function forward(
  params: Params,
  config: ModelConfig,
  ids: TokenIds,
  shape?: readonly number[],
): ForwardResult {
  const cfg = resolveModelConfig(config);
  requireParams(params, cfg);
  const idTensor = idsTensor(ids, shape, cfg);
  try {
    return tf.tidy(() => {
      const t = idTensor.shape[1];
      const d = cfg.embedSize;
      const oneHot = oneHotFloat(idTensor, cfg.vocabSize) as tf.Tensor3D; // see one-hot.ts (wasm bug)
      let x = denseMatMul(oneHot, params.tok_embed) as tf.Tensor3D;
      if (cfg.posEmbed === 'learnable') {
        x = tf.add(x, tf.slice(params.pos_embed, [0, 0], [t, d]));
      } else if (cfg.posEmbed === 'trigonometric') {
        x = tf.add(x, sinusoidalEncoding(t, d));
      }
      const ln = (h: tf.Tensor3D): tf.Tensor3D =>
        layerNorm(h, { eps: LAYER_NORM_EPS, gain: params['ln.gamma'], bias: params['ln.beta'] }) as tf.Tensor3D;
      const attention: tf.Tensor4D[] = [];
      for (let i = 0; i < cfg.numLayers; i++) {
        const lin = (h: tf.Tensor3D, p: Projection): tf.Tensor3D =>
          projection(h, params[kernelName(i, p)], params[biasName(i, p)], cfg);
        const qkvKernels = [params[kernelName(i, 'q')], params[kernelName(i, 'k')], params[kernelName(i, 'v')]] as const;
        const qkvBiases = [params[biasName(i, 'q')], params[biasName(i, 'k')], params[biasName(i, 'v')]] as const;
        const attn = (h: tf.Tensor3D): tf.Tensor3D => {
          const [q, k, v] = qkvProjection(h, qkvKernels, qkvBiases, cfg);
          const { output, probs } = causalAttention(q, k, v, cfg.numHeads, cfg.softmax);
          attention.push(probs);
          return lin(output, 'o');
        };
        if (cfg.norm === 'pre') x = tf.add(x, attn(ln(x)));
        else if (cfg.norm === 'post') x = tf.add(x, ln(attn(x)));
        else x = tf.add(x, attn(x));
      }
      const logits = denseMatMul(x, params['unembed.kernel']) as tf.Tensor3D;
      return { logits, attention };
    });
  } finally {
    if (idTensor !== ids) idTensor.dispose();
  }
}

/** A model: its resolved config, its parameters, and `forward` bound to them. */
export interface Model {
  readonly config: ModelConfig;
  readonly params: Params;
  forward(ids: TokenIds, shape?: readonly number[]): ForwardResult;
  /** Dispose every parameter. */
  dispose(): void;
}

/** `resolveModelConfig(config)` + `initParams(config, seed)` + a bound `forward`. */
export function createModel(config: Partial<ModelConfig> = {}, seed = 0): Model {
  const resolved = resolveModelConfig(config);
  const params = initParams(resolved, seed);
  return {
    config: resolved,
    params,
    forward: (ids, shape) => forward(params, resolved, ids, shape),
    dispose: () => disposeParams(params),
  };
}
