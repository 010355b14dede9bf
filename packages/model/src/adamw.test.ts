import * as tf from '@tensorflow/tfjs-core';
import { createAdamW, decaysWeight } from './adamw';
import type { Params } from './params';
import { useCpu } from './test-setup';

beforeAll(useCpu);

/** torch.optim.AdamW, written out in float64 for one parameter vector. */
function reference(
  p0: number[],
  grads: number[][],
  lrs: number[],
  { beta1, beta2, eps, wd }: { beta1: number; beta2: number; eps: number; wd: number },
): number[] {
  const p = [...p0];
  const m = p0.map(() => 0);
  const v = p0.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    const lr = lrs[k];
    for (let i = 0; i < p.length; i++) {
      p[i] -= lr * wd * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const mhat = m[i] / (1 - beta1 ** t);
      const vhat = v[i] / (1 - beta2 ** t);
      p[i] -= (lr * mhat) / (Math.sqrt(vhat) + eps);
    }
  });
  return p;
}

function makeParams(values: Record<string, number[]>, trainable: Record<string, boolean> = {}): Params {
  const params: Params = {};
  for (const [name, data] of Object.entries(values)) {
    params[name] = tf.tidy(() => tf.variable(tf.tensor1d(data), trainable[name] ?? true));
  }
  return params;
}

function dispose(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}

describe('AdamW', () => {
  const hp = { beta1: 0.9, beta2: 0.98, eps: 1e-8, wd: 0.01 };

  it('first step: decay then lr * sign(g) (bias correction makes mhat = g, vhat = g^2)', () => {
    const params = makeParams({ w: [1, -2, 0.5] });
    const opt = createAdamW(params, { betas: [0.9, 0.98], weightDecay: 0.01, eps: 1e-8 });
    const g = tf.tensor1d([0.5, -0.1, 3]);
    opt.step({ w: g }, 0.1);
    // p * (1 - 0.1 * 0.01) - 0.1 * g / (|g| + 1e-8)
    const want = [1 * 0.999 - 0.1, -2 * 0.999 + 0.1, 0.5 * 0.999 - 0.1];
    const got = Array.from(params.w.dataSync());
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 6));
    expect(opt.t).toBe(1);
    g.dispose();
    opt.dispose();
    dispose(params);
  });

  it('matches the float64 reference over several steps with changing lr', () => {
    const p0 = [0.3, -0.7, 1.2, 0.05];
    const grads = [
      [0.1, -0.2, 0.3, 0.0],
      [-0.05, 0.4, 0.1, 1e-3],
      [0.2, 0.2, -0.6, -2],
      [1e-4, -1e-4, 0.5, 0.3],
    ];
    const lrs = [1e-3, 5e-3, 2e-2, 1e-2];
    const params = makeParams({ w: p0 });
    const opt = createAdamW(params, { betas: [hp.beta1, hp.beta2], eps: hp.eps, weightDecay: hp.wd });
    for (let k = 0; k < grads.length; k++) {
      const g = tf.tensor1d(grads[k]);
      opt.step({ w: g }, lrs[k]);
      g.dispose();
    }
    const want = reference(p0, grads, lrs, hp);
    const got = Array.from(params.w.dataSync());
    got.forEach((x, i) => expect(Math.abs(x - want[i])).toBeLessThan(1e-6));
    opt.dispose();
    dispose(params);
  });

  it('decays every parameter by default, only kernels with the kernels scope, and skips missing grads', () => {
    expect(decaysWeight('layers.0.attn.q.bias', 'all')).toBe(true);
    expect(decaysWeight('layers.0.attn.q.bias', 'kernels')).toBe(false);
    expect(decaysWeight('tok_embed', 'kernels')).toBe(false);
    expect(decaysWeight('ln.gamma', 'kernels')).toBe(false);
    expect(decaysWeight('unembed.kernel', 'kernels')).toBe(true);
    const params = makeParams({ 'a.kernel': [2], 'a.bias': [2], untouched: [2] });
    const opt = createAdamW(params, { weightDecay: 0.5, decay: (n) => decaysWeight(n, 'kernels') });
    const zero = tf.zeros([1]);
    opt.step({ 'a.kernel': zero, 'a.bias': zero }, 0.1);
    expect(params['a.kernel'].dataSync()[0]).toBeCloseTo(2 * (1 - 0.05), 6);
    expect(params['a.bias'].dataSync()[0]).toBe(2);
    expect(params.untouched.dataSync()[0]).toBe(2);
    zero.dispose();
    opt.dispose();
    dispose(params);
  });

  it('only holds state for trainable parameters', () => {
    const params = makeParams({ a: [1], frozen: [1] }, { frozen: false });
    const opt = createAdamW(params);
    expect(opt.names).toEqual(['a']);
    expect(Object.keys(opt.getState().m)).toEqual(['a']);
    opt.dispose();
    dispose(params);
  });

  it('getState/setState continue bit-identically', () => {
    const run = (split: boolean): Float32Array => {
      const params = makeParams({ w: [0.3, -0.2] });
      let opt = createAdamW(params, { betas: [0.9, 0.98] });
      const grads = [[0.1, 0.2], [-0.3, 0.05], [0.7, -0.1], [0.02, 0.4]];
      grads.forEach((g, k) => {
        if (split && k === 2) {
          const state = opt.getState();
          opt.dispose();
          opt = createAdamW(params, { betas: [0.9, 0.98] });
          opt.setState(state);
        }
        const gt = tf.tensor1d(g);
        opt.step({ w: gt }, 0.01);
        gt.dispose();
      });
      const out = Float32Array.from(params.w.dataSync());
      opt.dispose();
      dispose(params);
      return out;
    };
    expect(run(true)).toEqual(run(false));
  });

  it('getStateAsync reads the same state as getState', async () => {
    const params = makeParams({ w: [0.3, -0.2], b: [0.1] });
    const opt = createAdamW(params);
    const g = { w: tf.tensor1d([0.1, 0.2]), b: tf.tensor1d([-0.4]) };
    opt.step(g, 0.01);
    opt.step(g, 0.01);
    const sync = opt.getState();
    expect(sync.t).toBe(2);
    expect(await opt.getStateAsync()).toEqual(sync);
    tf.dispose([g.w, g.b]);
    opt.dispose();
    dispose(params);
  });

  it('rejects a state of the wrong shape', () => {
    const params = makeParams({ w: [1, 2] });
    const opt = createAdamW(params);
    const bad = { t: 1, m: { w: { shape: [3], data: new Float32Array(3) } }, v: { w: { shape: [3], data: new Float32Array(3) } } };
    expect(() => opt.setState(bad)).toThrow(/shape \[3\]/);
    expect(() => opt.setState({ t: 1, m: {}, v: {} })).toThrow(/parameters/);
    opt.dispose();
    dispose(params);
  });

  it('allocates no tensors across steps and frees everything on dispose', () => {
    const before = tf.memory().numTensors;
    const params = makeParams({ w: [1, 2, 3], b: [0] });
    const opt = createAdamW(params);
    const g = { w: tf.tensor1d([0.1, 0.2, 0.3]), b: tf.tensor1d([1]) };
    opt.step(g, 0.01);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.step(g, 0.01);
    expect(tf.memory().numTensors).toBe(after1);
    g.w.dispose();
    g.b.dispose();
    opt.dispose();
    dispose(params);
    expect(tf.memory().numTensors).toBe(before);
  });
});
