/**
 * AdamW with PyTorch's semantics (`torch.optim.AdamW`, single-tensor implementation,
 * amsgrad off, maximize off). For each parameter p with gradient g, at step t (1-based):
 *
 * ```
 * p = p * (1 - lr * weightDecay)                 // decoupled weight decay (if decayed)
 * m = m + (1 - beta1) * (g - m)                  // = beta1 m + (1 - beta1) g  (torch's lerp_)
 * v = beta2 * v + (1 - beta2) * g * g
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps      // = sqrt(vhat) + eps
 * p = p - (lr / (1 - beta1^t)) * (m / denom)     // = p - lr * mhat / (sqrt(vhat) + eps)
 * ```
 *
 * Scalars are computed in float64 and applied as float32, like PyTorch. Like
 * `AdamW(model.parameters())` in the original, weight decay applies to EVERY parameter
 * (biases, LayerNorm and embeddings included) unless `decay` excludes some
 * (`decaysWeight(name, 'kernels')` keeps it on the kernels only). Parameters without a
 * gradient in a step are left untouched (no decay, no moment update), like PyTorch's
 * `grad is None`; the step count `t` is shared by all parameters.
 *
 * State (m, v) lives in non-trainable `tf.Variable`s created at construction (zeros) for
 * every trainable parameter; `step` allocates only temporaries inside `tf.tidy`, so the
 * number of live tensors is the same after every step.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModelParamsError } from './errors';
import { paramsToRecord, paramsToRecordAsync, type ParamRecord, type Params } from './params';
import type { WeightDecayScope } from './train-config';

/** Hyper-parameters; defaults are PyTorch's `AdamW` defaults. */
export interface AdamWOptions {
  /** Default learning rate of `step` (1e-3). */
  lr?: number;
  /** (beta1, beta2), default [0.9, 0.999] (the study uses [0.9, 0.98]). */
  betas?: readonly [number, number];
  /** Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay, default 0.01. */
  weightDecay?: number;
  /** Which parameters are decayed; default every one. */
  decay?: (name: string) => boolean;
}

/** Plain-data optimizer state for checkpoints. */
export interface AdamWState {
  /** Steps taken so far (the next step is t + 1). */
  t: number;
  /** First moments by parameter name. */
  m: ParamRecord;
  /** Second moments by parameter name. */
  v: ParamRecord;
}

/** An AdamW optimizer bound to a set of parameters. */
export interface AdamW {
  /** Steps taken so far. */
  readonly t: number;
  /** Names of the parameters it updates (the trainable ones), sorted. */
  readonly names: readonly string[];
  /**
   * One update from `grads` (by parameter name; missing names are skipped) with learning
   * rate `lr` (default: the options' lr). Does not dispose `grads`.
   */
  step(grads: Readonly<Record<string, tf.Tensor>>, lr?: number): void;
  /** Copy the state out of TF.js (synchronous; not on backends without synchronous reads, e.g. WebGPU in Node). */
  getState(): AdamWState;
  /** Copy the state out of TF.js with asynchronous reads (every backend). */
  getStateAsync(): Promise<AdamWState>;
  /** Restore a state from `getState` (names and shapes must match). */
  setState(state: AdamWState): void;
  /** Dispose the moment variables and cached scalars (not the parameters). */
  dispose(): void;
}

/** Weight-decay selection: 'all' decays every parameter, 'kernels' only `*.kernel`. */
export function decaysWeight(name: string, scope: WeightDecayScope): boolean {
  return scope === 'all' || name.endsWith('.kernel');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Create an AdamW optimizer over the trainable variables of `params`. */
export function createAdamW(params: Params, options: AdamWOptions = {}): AdamW {
  const lr0 = options.lr ?? 1e-3;
  const [beta1, beta2] = options.betas ?? [0.9, 0.999];
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0.01;
  const decay = options.decay ?? ((): boolean => true);
  const names = Object.keys(params)
    .filter((n) => params[n].trainable)
    .sort();
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  for (const name of names) {
    m[name] = tf.tidy(() => tf.variable(tf.zeros(params[name].shape, 'float32'), false));
    v[name] = tf.tidy(() => tf.variable(tf.zeros(params[name].shape, 'float32'), false));
  }
  const sBeta1Weight = tf.keep(tf.scalar(1 - beta1));
  const sBeta2 = tf.keep(tf.scalar(beta2));
  const sOneMinusBeta2 = tf.keep(tf.scalar(1 - beta2));
  const sEps = tf.keep(tf.scalar(eps));
  let t = 0;
  let disposed = false;

  const check = (): void => {
    if (disposed) throw new ModelParamsError('This AdamW optimizer has been disposed.');
  };

  return {
    get t() {
      return t;
    },
    names,
    step(grads, lr = lr0): void {
      check();
      t += 1;
      const bc1 = 1 - beta1 ** t;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const stepSize = lr / bc1;
      const decayFactor = 1 - lr * weightDecay;
      tf.tidy(() => {
        const sStep = tf.scalar(stepSize);
        const sBc2Sqrt = tf.scalar(bc2Sqrt);
        const sDecay = tf.scalar(decayFactor);
        for (const name of names) {
          const g = grads[name];
          if (g === undefined || g === null) continue;
          const p = params[name];
          if (!sameShape(g.shape, p.shape)) {
            throw new ModelParamsError(
              `Gradient of ${name} has shape [${g.shape.join(', ')}]; the parameter has [${p.shape.join(', ')}].`,
              name,
            );
          }
          tf.tidy(() => {
            const decayed = weightDecay !== 0 && decay(name) ? tf.mul(p, sDecay) : p;
            const mNew = tf.add(m[name], tf.mul(tf.sub(g, m[name]), sBeta1Weight));
            const vNew = tf.add(tf.mul(v[name], sBeta2), tf.mul(tf.mul(g, g), sOneMinusBeta2));
            const denom = tf.add(tf.div(tf.sqrt(vNew), sBc2Sqrt), sEps);
            const pNew = tf.sub(decayed, tf.mul(tf.div(mNew, denom), sStep));
            m[name].assign(mNew);
            v[name].assign(vNew);
            p.assign(pNew);
          });
        }
      });
    },
    getState(): AdamWState {
      check();
      return { t, m: paramsToRecord(m), v: paramsToRecord(v) };
    },
    async getStateAsync(): Promise<AdamWState> {
      check();
      const steps = t;
      return { t: steps, m: await paramsToRecordAsync(m), v: await paramsToRecordAsync(v) };
    },
    setState(state: AdamWState): void {
      check();
      if (!state || !Number.isInteger(state.t) || state.t < 0) {
        throw new ModelParamsError(`AdamW state needs an integer step count t >= 0; got ${String(state?.t)}.`);
      }
      for (const [kind, record] of [
        ['m', state.m],
        ['v', state.v],
      ] as const) {
        const given = Object.keys(record ?? {}).sort();
        if (given.length !== names.length || given.some((n, i) => n !== names[i])) {
          throw new ModelParamsError(
            `AdamW state ${kind} has parameters [${given.join(', ')}]; this optimizer has [${names.join(', ')}].`,
          );
        }
        for (const name of names) {
          const { shape, data } = record[name];
          if (!sameShape(shape, params[name].shape) || data.length !== params[name].size) {
            throw new ModelParamsError(
              `AdamW state ${kind}.${name} has shape [${shape.join(', ')}]; the parameter has [${params[name].shape.join(', ')}].`,
              name,
            );
          }
        }
      }
      for (const name of names) {
        tf.tidy(() => {
          m[name].assign(tf.tensor(state.m[name].data, params[name].shape, 'float32'));
          v[name].assign(tf.tensor(state.v[name].data, params[name].shape, 'float32'));
        });
      }
      t = state.t;
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const name of names) {
        m[name].dispose();
        v[name].dispose();
      }
      sBeta1Weight.dispose();
      sBeta2.dispose();
      sOneMinusBeta2.dispose();
      sEps.dispose();
    },
  };
}
