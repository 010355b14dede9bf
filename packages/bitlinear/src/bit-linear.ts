import * as tf from '@tensorflow/tfjs-core';
import { quantizeActivations } from './activation-quantizer';
import { ACTIVATION_BITS, ACTIVATION_SCALINGS, LAYER_NORM_EPS } from './constants';
import type { ActivationScaling } from './constants';
import { denseMatMul } from './dense-matmul';
import { BitLinearError, checkOneOf, describeValue } from './errors';
import { layerNorm } from './layer-norm';
import { stopGradient } from './stop-gradient';
import { checkInputAndKernel, checkTensor } from './tensor-checks';
import { binarizeWeights, ternarizeWeights } from './weight-quantizers';

export type WeightBits = 1 | 1.58;
export const WEIGHT_BITS: readonly WeightBits[] = [1, 1.58];

export interface BitLinearOptions {
  /** 1: sign(W - mean W) * mean|W| (BitNet); 1.58: ternary (BitNet b1.58). */
  weightBits: WeightBits;
  /** 8 (default): absmax 8-bit activations; null: full-precision activations. */
  activationBits?: 8 | null;
  /** gamma per token (last-axis row, default) or per tensor. */
  activationScaling?: ActivationScaling;
  /** LayerNorm epsilon, default 1e-5. */
  eps?: number;
  /** Optional LayerNorm gain [in]; identity when omitted. */
  lnGain?: tf.Tensor;
  /** Optional LayerNorm bias [in]; identity when omitted. */
  lnBias?: tf.Tensor;
  /** LayerNorm the input first (default true, as BitNet). */
  layerNorm?: boolean;
  /**
   * The 'frozen-sign' ablation: the quantised kernel is used in the forward pass
   * but NO gradient reaches the kernel (stopGradient around it). This reproduces
   * what the original study trained by accident (its 1-bit weights never changed);
   * it is a labelled ablation, not BitNet.
   */
  frozen?: boolean;
}

export interface ResolvedBitLinearOptions {
  weightBits: WeightBits;
  activationBits: 8 | null;
  activationScaling: ActivationScaling;
  eps: number;
  layerNorm: boolean;
  frozen: boolean;
}

/** Validates bitLinear options and fills defaults; throws BitLinearError naming the bad value. */
export function resolveBitLinearOptions(options: BitLinearOptions): ResolvedBitLinearOptions {
  if (options == null || typeof options !== 'object') {
    throw new BitLinearError(
      'INVALID_OPTION',
      `bitLinear options must be an object with weightBits 1 or 1.58; got ${describeValue(options)}`,
    );
  }
  const weightBits = checkOneOf('weightBits', options.weightBits, WEIGHT_BITS);
  const activationBits =
    options.activationBits === null
      ? null
      : (checkOneOf('activationBits', options.activationBits ?? 8, [...ACTIVATION_BITS, null]) as 8);
  const activationScaling = checkOneOf(
    'activationScaling',
    options.activationScaling ?? 'per-token',
    ACTIVATION_SCALINGS,
  );
  const eps = options.eps ?? LAYER_NORM_EPS;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new BitLinearError('INVALID_OPTION', `eps must be a finite number > 0 (e.g. 1e-5); got ${describeValue(eps)}`);
  }
  const frozen = checkOneOf('frozen', options.frozen ?? false, [true, false]);
  const ln = checkOneOf('layerNorm', options.layerNorm ?? true, [true, false]);
  return { weightBits, activationBits, activationScaling, eps, layerNorm: ln, frozen };
}

/**
 * BitLinear, functional form. `x [..., in]`, `kernel [in, out]` (TF.js layout),
 * `bias [out]` or undefined:
 *
 *   y = Qa(LN(x)) @ Qw(W) + bias
 *
 * LN: LayerNorm over the last axis (eps 1e-5, optional lnGain / lnBias);
 * Qa: 8-bit absmax (per token or per tensor), skipped when activationBits is null;
 * Qw: binarizeWeights (weightBits 1) or ternarizeWeights (1.58).
 * Both quantisers return de-quantised values (x_q * gamma/127 and W_b * beta), so the
 * matmul of the rescaled values equals BitNet's `(x_q @ W_b) * beta * gamma / 127`.
 * Gradients are straight-through to x and the latent kernel, except with `frozen`.
 */
export function bitLinear(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | undefined,
  options: BitLinearOptions,
): tf.Tensor {
  return bitLinearShared(x, [kernel], bias === undefined ? undefined : [bias], options)[0];
}

/**
 * Several BitLinear layers on the same input:
 * `[bitLinear(x, kernels[i], biases?.[i], options) for each i]`, equal to calling
 * `bitLinear` per kernel, but the LayerNorm and activation quantisation of the shared
 * input (and their gradients) run once. Each kernel is quantised on its own (its own
 * mean and beta). Used for a transformer's Q/K/V projections. (The products stay
 * separate: one `[in, sum out_i]` matmul is no faster on wasm, and splitting its output
 * costs more than the calls it saves.)
 */
export function bitLinearShared(
  x: tf.Tensor,
  kernels: readonly tf.Tensor[],
  biases: readonly tf.Tensor[] | undefined,
  options: BitLinearOptions,
): tf.Tensor[] {
  const o = resolveBitLinearOptions(options);
  if (!Array.isArray(kernels) || kernels.length === 0) {
    throw new BitLinearError('BAD_VALUE', `kernels must be a non-empty array of [in, out] tensors; got ${describeValue(kernels)}`);
  }
  const outs = kernels.map((k) => checkInputAndKernel(x, k)[1]);
  if (biases !== undefined) {
    if (!Array.isArray(biases) || biases.length !== kernels.length) {
      throw new BitLinearError(
        'BAD_VALUE',
        `biases must be undefined or one [out] tensor per kernel (${kernels.length}); got ${describeValue(biases)}`,
      );
    }
    biases.forEach((b, i) => {
      checkTensor('bias', b);
      if (b.rank !== 1 || b.shape[0] !== outs[i]) {
        throw new BitLinearError('BAD_SHAPE', `bias must have shape [${outs[i]}]; got ${JSON.stringify(b.shape)}`);
      }
    });
  }
  return tf.tidy(() => {
    let h = o.layerNorm ? layerNorm(x, { eps: o.eps, gain: options.lnGain, bias: options.lnBias }) : x;
    if (o.activationBits !== null) h = quantizeActivations(h, { bits: 8, scaling: o.activationScaling });
    return kernels.map((kernel, i) => {
      const latent = o.frozen ? stopGradient(kernel) : kernel;
      const w = o.weightBits === 1 ? binarizeWeights(latent) : ternarizeWeights(latent);
      return denseMatMul(h, w, biases?.[i]);
    });
  });
}
