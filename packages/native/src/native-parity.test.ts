// The native step against the PyTorch parity fixtures of @ihc/model, with the same
// tolerances as the TF.js model (test-support/parity-fixtures.ts; explained at the top of
// packages/model/src/parity.test.ts): losses and gradients for both loss modes, one AdamW
// step end to end, and AdamW over four steps.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isTrainable, resolveModelConfig, resolveTrainConfig, sinusoidalTable, type ParamRecord } from '@ihc/model';
import { loadNativeAddon } from './addon';
import { contextConfig, nativeEngine } from './native-engine';
import { paramOrder } from './param-order';
import { describeNative } from './test-native';
import {
  compare,
  compareAdamW,
  compareAdamWEndToEnd,
  compareGrads,
  FIXTURE_DIR,
  index,
  load,
  type AdamWFixture,
  type Fixture,
} from '../../../test-support/parity-fixtures';


function recordOf(fx: Fixture): ParamRecord {
  const out: ParamRecord = {};
  for (const [n, t] of Object.entries(fx.weights)) out[n] = { shape: t.shape, data: Float32Array.from(t.data) };
  return out;
}

function batchOf(fx: Fixture) {
  const size = fx.ids.length;
  const length = fx.ids[0].length;
  return {
    size,
    length,
    inputs: Int32Array.from(fx.ids.flat()),
    labels: Int32Array.from(fx.labels.flat()),
    queryPos: new Int32Array(size).fill(length - 1),
  };
}

/** Loss and gradients (by name; frozen parameters have none) of one native step. */
function nativeGrads(fx: Fixture, mode: 'all' | 'target'): { loss: number; grads: Record<string, Float32Array> } {
  const addon = loadNativeAddon();
  const config = resolveModelConfig(fx.config);
  const b = batchOf(fx);
  const names = paramOrder(config);
  const params = names.map((n) => Float32Array.from(fx.weights[n].data));
  const grads = names.map((n, i) => (isTrainable(n, config) ? new Float32Array(params[i].length) : null));
  const ctx = addon.create(contextConfig(config, mode, b.size));
  const posTable = config.posEmbed === 'trigonometric' ? sinusoidalTable(config.maxSeqLength, config.embedSize) : null;
  const loss = addon.step(ctx, b.size, b.length, b.inputs, b.labels, b.queryPos, params, grads, posTable, new Int32Array(b.size));
  addon.destroy(ctx);
  const out: Record<string, Float32Array> = {};
  names.forEach((n, i) => {
    const g = grads[i];
    if (g) out[n] = g;
  });
  return { loss, grads: out };
}

const names = index.fixtures.map((f) => f.name);

describeNative('native step vs the PyTorch parity fixtures', () => {
  it.each(names)('%s: losses and gradients (loss over all positions and at the target)', (name) => {
    const fx = load(name);
    const all = nativeGrads(fx, 'all');
    const target = nativeGrads(fx, 'target');
    const problems = [
      compare('loss (all)', [all.loss], [fx.loss.all], Math.abs(fx.loss.all)),
      compare('loss (target)', [target.loss], [fx.loss.target], Math.abs(fx.loss.target)),
      ...compareGrads('grad', all.grads, fx.grads),
      ...(fx.gradsTarget ? compareGrads('grad (target loss)', target.grads, fx.gradsTarget) : []),
    ];
    expect(problems.filter((p) => p !== '')).toEqual([]);
  });

  const withAdamW = names.filter((n) => load(n).adamw !== undefined);

  it.each(withAdamW)('%s: gradients + one AdamW step end to end (engine)', (name) => {
    // Gradient-noise entries are only bounded by lr (compareAdamWEndToEnd).
    const fx = load(name);
    const cfg = fx.adamw!;
    const config = resolveModelConfig(fx.config);
    const b = batchOf(fx);
    const engine = nativeEngine()({
      config,
      trainConfig: resolveTrainConfig({ loss: 'all', lr: cfg.lr, betas: cfg.betas, eps: cfg.eps, weightDecay: cfg.weightDecay, batchSize: b.size }),
      params: recordOf(fx),
      optimizer: null,
      maxBatch: b.size,
    });
    engine.computeGradients(b);
    engine.applyUpdate(cfg.lr);
    const after = engine.params();
    engine.dispose();
    const problems = compareAdamWEndToEnd(fx, Object.fromEntries(Object.entries(after).map(([n, r]) => [n, r.data])));
    for (const n of fx.frozen) expect(Array.from(after[n].data)).toEqual(Array.from(Float32Array.from(fx.weights[n].data)));
    expect(problems.filter((p) => p !== '')).toEqual([]);
  });

  it('AdamW over four steps equals torch.optim.AdamW', () => {
    const addon = loadNativeAddon();
    const fx = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'adamw.json'), 'utf8')) as AdamWFixture;
    const pnames = Object.keys(fx.initial).sort();
    const params = pnames.map((n) => Float32Array.from(fx.initial[n].data));
    const m = params.map((p) => new Float32Array(p.length));
    const v = params.map((p) => new Float32Array(p.length));
    const decay = new Uint8Array(pnames.length).fill(1);
    const { lr, betas, eps, weightDecay } = fx.adamw;
    const problems: string[] = [];
    fx.grads.forEach((g, s) => {
      const before = s === 0 ? fx.initial : fx.after[s - 1];
      addon.adamw(params, pnames.map((n) => Float32Array.from(g[n].data)), m, v, decay, lr, betas[0], betas[1], eps, weightDecay, s + 1, 1);
      pnames.forEach((n, i) => problems.push(compareAdamW(`step ${s + 1} ${n}`, params[i], fx.after[s][n].data, before[n].data, lr)));
    });
    expect(problems.filter((p) => p !== '')).toEqual([]);
  });

  it('the check can fail: a wrong weight changes the gradients beyond the tolerance', () => {
    const fx = load('1bit-learnable-pre');
    const broken = JSON.parse(JSON.stringify(fx)) as Fixture;
    broken.weights['layers.1.attn.v.kernel'].data[3] += 0.05;
    broken.weights['layers.0.attn.q.bias'].data[0] += 0.05;
    const r = nativeGrads(broken, 'all');
    expect(compareGrads('grad', r.grads, fx.grads).filter((p) => p !== '').length).toBeGreaterThan(0);
  });
});
