// Parity with an independent PyTorch implementation of docs/SPEC.md (tools/torch_reference.py).
// The fixtures (packages/model/fixtures/parity/*.json, written by tools/make_fixtures.py)
// carry the weights, token ids and labels, and PyTorch's float32 logits, attention,
// losses, gradients and AdamW results. See tools/README.md.
//
// Tolerance (the same for every quantity, recorded in each fixture):
//
//   |actual - expected| <= RTOL * max(|expected|, FLOOR_FRACTION * scale)
//   RTOL = 1e-4, FLOOR_FRACTION = 0.1
//
// where `scale` is the largest |expected| in the quantity's group: the logits; one
// layer's attention; the loss; all gradients of a fixture together. Why a floor: float32
// sums round relative to their terms, not to their result; PyTorch float32 against
// float64 differs by up to ~3e-7 * scale in absolute terms (recorded per fixture as
// tolerance.float32VsFloat64), so a bare 1e-4 relative bound would reject correct values
// that are small by cancellation (d loss / d k.bias, analytically 0 under vanilla
// softmax, is pure rounding noise). The floor bound, 1e-5 * scale, is ~30x that noise.
//
// AdamW results are compared through the update Delta = after - before:
//   |actual - expected| <= RTOL * max(|Delta_expected|, FLOOR_FRACTION * lr) + 2 ulp(expected)
// (2 float32 ulps: both implementations round p * (1 - lr wd) and p - step, each to half an ulp.)
//
// Quantised (1bit, 1.58bit, frozen-sign) fixtures were generated from seeds for which
// every value that is rounded (x * 127 / gamma) lies >= 1e-3 quantisation steps from a
// rounding boundary, every ternary W / mean|W| >= 1e-3 from +-0.5, and every 1-bit
// |W - mean W| >= 1e-4 * mean|W| (fixture.roundingMargins): float32 noise cannot flip a
// rounding, so the 1e-4 bound applies unchanged to them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createAdamW } from './adamw';
import { resolveModelConfig, type ModelConfig } from './config';
import { forward } from './forward';
import './gradients';
import { crossEntropyLoss } from './loss';
import { disposeParams, isTrainable, paramsFromRecord, type Params } from './params';
import {
  FLOOR_FRACTION,
  FIXTURE_DIR,
  RTOL,
  compare,
  compareAdamW,
  compareAdamWEndToEnd,
  compareGrads,
  index,
  load,
  maxAbs,
  type AdamWFixture,
  type Fixture,
  type TensorRecord,
} from '../../../test-support/parity-fixtures';

// Not IS_TEST: under it the wasm backend's leak checker flags customGrads that save inputs.
tf.env().set('PROD', true);

function configOf(fx: Fixture): ModelConfig {
  return resolveModelConfig(fx.config);
}

function flatInt(rows: number[][]): Int32Array {
  return Int32Array.from(rows.flat());
}

interface Computed {
  logits: Float32Array;
  attention: Float32Array[];
  lossAll: number;
  lossTarget: number;
  grads: Record<string, Float32Array>;
  gradsTarget?: Record<string, Float32Array>;
}

function lossFn(params: Params, config: ModelConfig, fx: Fixture, mode: 'all' | 'target'): () => tf.Scalar {
  const b = fx.ids.length;
  const t = fx.ids[0].length;
  const labels = flatInt(fx.labels);
  const queryPos = new Int32Array(b).fill(t - 1);
  return () => {
    const { logits, attention } = forward(params, config, fx.ids);
    const loss = crossEntropyLoss(logits, tf.tensor(labels, [b, t], 'int32'), { mode, queryPos });
    attention.forEach((a) => a.dispose());
    return loss;
  };
}

/**
 * Gradients of the loss w.r.t. every trainable parameter, by parameter name (a parameter
 * with no gradient at all is missing). tf.variableGrads keys by tf.Variable.name, which
 * paramsFromRecord does not set, so names are mapped back here.
 */
function namedGrads(params: Params, f: () => tf.Scalar): Record<string, tf.Tensor> {
  const names = Object.keys(params).filter((n) => params[n].trainable);
  const { value, grads } = tf.variableGrads(f, names.map((n) => params[n]));
  value.dispose();
  const out: Record<string, tf.Tensor> = {};
  for (const n of names) {
    const g = grads[params[n].name];
    if (g) out[n] = g;
  }
  return out;
}

function gradsOf(params: Params, config: ModelConfig, fx: Fixture, mode: 'all' | 'target'): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  tf.tidy(() => {
    const grads = namedGrads(params, lossFn(params, config, fx, mode));
    for (const [name, g] of Object.entries(grads)) out[name] = g.dataSync() as Float32Array;
  });
  return out;
}

function compute(fx: Fixture): Computed {
  const config = configOf(fx);
  const params = paramsFromRecord(fx.weights, config);
  try {
    const { logits, attention } = forward(params, config, fx.ids);
    const result: Computed = {
      logits: logits.dataSync() as Float32Array,
      attention: attention.map((a) => a.dataSync() as Float32Array),
      lossAll: tf.tidy(() => lossFn(params, config, fx, 'all')().dataSync()[0]),
      lossTarget: tf.tidy(() => lossFn(params, config, fx, 'target')().dataSync()[0]),
      grads: gradsOf(params, config, fx, 'all'),
    };
    logits.dispose();
    attention.forEach((a) => a.dispose());
    if (fx.gradsTarget) result.gradsTarget = gradsOf(params, config, fx, 'target');
    return result;
  } finally {
    disposeParams(params);
  }
}

/** Checks forward, losses and gradients of one fixture on the current backend. */
function checkForwardAndGrads(fx: Fixture): string[] {
  const r = compute(fx);
  const problems: string[] = [];
  problems.push(compare('logits', r.logits, fx.logits.data, maxAbs(fx.logits.data)));
  if (r.attention.length !== fx.attention.length) {
    problems.push(`attention: ${r.attention.length} layers, expected ${fx.attention.length}`);
  }
  fx.attention.forEach((a, i) => {
    if (r.attention[i]) problems.push(compare(`attention[${i}]`, r.attention[i], a.data, maxAbs(a.data)));
  });
  problems.push(compare('loss (all)', [r.lossAll], [fx.loss.all], Math.abs(fx.loss.all)));
  problems.push(compare('loss (target)', [r.lossTarget], [fx.loss.target], Math.abs(fx.loss.target)));
  problems.push(...compareGrads('grad', r.grads, fx.grads));
  if (fx.gradsTarget) problems.push(...compareGrads('grad (target loss)', r.gradsTarget ?? {}, fx.gradsTarget));
  return problems.filter((p) => p !== '');
}

function tensorsOf(record: TensorRecord): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(record)) out[name] = tf.tensor(t.data, t.shape, 'float32');
  return out;
}

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  expect(await tf.setBackend(name)).toBe(true);
  await tf.ready();
  expect(tf.getBackend()).toBe(name);
}

describe('PyTorch parity fixtures', () => {
  it('index lists every fixture and covers the required configurations', () => {
    const files = fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json' && f !== 'adamw.json');
    expect(index.fixtures.map((f) => f.file).sort()).toEqual(files.sort());
    expect(index.tolerance).toEqual({ rtol: RTOL, floorFraction: FLOOR_FRACTION });
    const fp = index.fixtures.filter((f) => f.precision === 'fp');
    for (const pos of ['learnable', 'trigonometric', 'none']) {
      for (const norm of ['pre', 'post', 'none']) {
        expect(fp.some((f) => f.posEmbed === pos && f.norm === norm && f.softmax === 'vanilla')).toBe(true);
      }
    }
    for (const precision of ['1bit', '1.58bit']) {
      const q = index.fixtures.filter((f) => f.precision === precision);
      for (const pos of ['learnable', 'trigonometric', 'none']) expect(q.some((f) => f.posEmbed === pos)).toBe(true);
      for (const norm of ['pre', 'post', 'none']) expect(q.some((f) => f.norm === norm)).toBe(true);
    }
    expect(index.fixtures.some((f) => f.precision === 'fp' && f.softmax === 'off-by-one')).toBe(true);
    expect(index.fixtures.some((f) => f.precision === '1bit' && f.softmax === 'off-by-one')).toBe(true);
    expect(index.fixtures.some((f) => f.precision === 'frozen-sign')).toBe(true);
  });

  describe('cpu backend', () => {
    beforeAll(() => useBackend('cpu'));

    it.each(index.fixtures.map((f) => f.name))('%s: logits, attention, losses and gradients', (name) => {
      const fx = load(name);
      expect(fx.tolerance.rtol).toBe(RTOL);
      expect(fx.tolerance.floorFraction).toBe(FLOOR_FRACTION);
      expect(checkForwardAndGrads(fx)).toEqual([]);
    });

    it.each(index.fixtures.map((f) => f.name))('%s: frozen parameters match the fixture', (name) => {
      const fx = load(name);
      const config = configOf(fx);
      const frozen = Object.keys(fx.weights).filter((n) => !isTrainable(n, config));
      expect(frozen.sort()).toEqual([...fx.frozen].sort());
    });

    const withAdamW = index.fixtures.map((f) => f.name).filter((n) => load(n).adamw !== undefined);

    it.each(withAdamW)('%s: one AdamW step from the fixture gradients equals torch.optim.AdamW', (name) => {
      const fx = load(name);
      const cfg = fx.adamw!;
      const config = configOf(fx);
      const params = paramsFromRecord(fx.weights, config);
      const opt = createAdamW(params, { lr: cfg.lr, betas: cfg.betas, eps: cfg.eps, weightDecay: cfg.weightDecay });
      try {
        const grads = tensorsOf(fx.grads);
        opt.step(grads);
        tf.dispose(Object.values(grads));
        const problems = Object.keys(fx.adamw!.after)
          .sort()
          .map((n) =>
            compareAdamW(n, params[n].dataSync(), cfg.after[n].data, fx.weights[n].data, cfg.lr),
          );
        expect(problems.filter((p) => p !== '')).toEqual([]);
        for (const n of fx.frozen) {
          // bit-identical: no update, no weight decay
          expect(Array.from(params[n].dataSync())).toEqual(Array.from(Float32Array.from(fx.weights[n].data)));
        }
      } finally {
        opt.dispose();
        disposeParams(params);
      }
    });

    it.each(withAdamW)('%s: gradients + one AdamW step end to end', (name) => {
      // Gradient-noise entries are only bounded by lr (compareAdamWEndToEnd); the previous
      // test checks them exactly.
      const fx = load(name);
      const cfg = fx.adamw!;
      const config = configOf(fx);
      const params = paramsFromRecord(fx.weights, config);
      const opt = createAdamW(params, { lr: cfg.lr, betas: cfg.betas, eps: cfg.eps, weightDecay: cfg.weightDecay });
      try {
        const grads = tf.tidy(() => namedGrads(params, lossFn(params, config, fx, 'all')));
        opt.step(grads);
        tf.dispose(Object.values(grads));
        const after: Record<string, ArrayLike<number>> = {};
        for (const n of Object.keys(cfg.after)) after[n] = params[n].dataSync();
        const problems = compareAdamWEndToEnd(fx, after);
        expect(problems.filter((p) => p !== '')).toEqual([]);
      } finally {
        opt.dispose();
        disposeParams(params);
      }
    });

    it('AdamW over four steps equals torch.optim.AdamW (betas, bias correction, decay, eps)', () => {
      const fx = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'adamw.json'), 'utf8')) as AdamWFixture;
      const params: Params = {};
      for (const [n, t] of Object.entries(fx.initial)) params[n] = tf.variable(tf.tensor(t.data, t.shape, 'float32'));
      const opt = createAdamW(params, {
        lr: fx.adamw.lr,
        betas: fx.adamw.betas,
        eps: fx.adamw.eps,
        weightDecay: fx.adamw.weightDecay,
      });
      try {
        const problems: string[] = [];
        fx.grads.forEach((g, s) => {
          const grads = tensorsOf(g);
          const before = s === 0 ? fx.initial : fx.after[s - 1];
          opt.step(grads);
          tf.dispose(Object.values(grads));
          for (const n of Object.keys(fx.after[s])) {
            problems.push(
              compareAdamW(`step ${s + 1} ${n}`, params[n].dataSync(), fx.after[s][n].data, before[n].data, fx.adamw.lr),
            );
          }
        });
        expect(problems.filter((p) => p !== '')).toEqual([]);
      } finally {
        opt.dispose();
        disposeParams(params);
      }
    });

    it('the check can fail: a wrong weight changes logits beyond the tolerance', () => {
      const fx = load('fp-learnable-pre');
      const broken: Fixture = JSON.parse(JSON.stringify(fx)) as Fixture;
      broken.weights['layers.1.attn.v.kernel'].data[3] += 0.01;
      const problems = checkForwardAndGrads(broken);
      expect(problems.some((p) => p.startsWith('logits'))).toBe(true);
      expect(problems.some((p) => p.startsWith('grad '))).toBe(true);
    });
  });

  describe('wasm backend', () => {
    beforeAll(() => useBackend('wasm'));
    afterAll(() => useBackend('cpu'));

    it.each(['fp-trigonometric-post', '1bit-learnable-pre'])('%s: logits, attention, losses and gradients', (name) => {
      expect(checkForwardAndGrads(load(name))).toEqual([]);
    });
  });
});
