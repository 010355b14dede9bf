import * as tf from '@tensorflow/tfjs-core';
import { NORM_MODES, POS_EMBEDS, PRECISIONS, SOFTMAX_MODES, type ModelConfig } from './config';
import { ModelInputError, ModelParamsError } from './errors';
import { createModel, forward } from './forward';
import { disposeParams, initParams, paramsToRecord, type ParamRecord } from './params';
import { sinusoidalTable } from './positional';
import { expectClose, tinyConfig, useCpu } from './test-setup';

beforeAll(useCpu);

const B = 2;
const T = 5;
// Two sequences of length T = 5 over V = 7.
const IDS = Int32Array.from([0, 3, 6, 3, 1, 5, 2, 2, 4, 6]);

/** Random (non-zero) values for every parameter, so biases and LN affine matter. */
function randomRecord(config: ModelConfig, seed: number): ParamRecord {
  const params = initParams({ ...config, initStd: 0.5 }, seed);
  const rec = paramsToRecord(params);
  disposeParams(params);
  let s = seed + 1;
  for (const [name, { data }] of Object.entries(rec)) {
    if (name.endsWith('.bias') || name.startsWith('ln.')) {
      for (let i = 0; i < data.length; i++) {
        s = (s * 16807) % 2147483647;
        data[i] = (name === 'ln.gamma' ? 1 : 0) + (s / 2147483647 - 0.5) * 0.6;
      }
    }
  }
  return rec;
}

// ---- plain-JS reference forward (FP), written straight from docs/SPEC.md ----
type Mat = number[][]; // [rows][cols]
const matmul = (a: Mat, w: { shape: number[]; data: Float32Array }): Mat =>
  a.map((row) =>
    Array.from({ length: w.shape[1] }, (_, j) => row.reduce((s, x, k) => s + x * w.data[k * w.shape[1] + j], 0)),
  );
const addVec = (a: Mat, b: Float32Array): Mat => a.map((row) => row.map((x, j) => x + b[j]));
const addMat = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((x, j) => x + b[i][j]));
function lnRef(a: Mat, g: Float32Array, b: Float32Array): Mat {
  return a.map((row) => {
    const mean = row.reduce((s, x) => s + x, 0) / row.length;
    const v = row.reduce((s, x) => s + (x - mean) ** 2, 0) / row.length;
    return row.map((x, j) => ((x - mean) / Math.sqrt(v + 1e-5)) * g[j] + b[j]);
  });
}

function referenceForward(rec: ParamRecord, c: ModelConfig, ids: Int32Array, b: number, t: number) {
  const d = c.embedSize;
  const H = c.numHeads;
  const hd = d / H;
  const logits: number[] = [];
  const attn: number[][] = c.numLayers ? Array.from({ length: c.numLayers }, () => []) : [];
  for (let s = 0; s < b; s++) {
    let x: Mat = [];
    const trig = sinusoidalTable(t, d);
    for (let p = 0; p < t; p++) {
      const id = ids[s * t + p];
      x.push(
        Array.from({ length: d }, (_, j) => {
          let v = rec.tok_embed.data[id * d + j];
          if (c.posEmbed === 'learnable') v += rec.pos_embed.data[p * d + j];
          if (c.posEmbed === 'trigonometric') v += trig[p * d + j];
          return v;
        }),
      );
    }
    const ln = (a: Mat) => lnRef(a, rec['ln.gamma'].data, rec['ln.beta'].data);
    for (let l = 0; l < c.numLayers; l++) {
      const lin = (a: Mat, p: string) => addVec(matmul(a, rec[`layers.${l}.attn.${p}.kernel`]), rec[`layers.${l}.attn.${p}.bias`].data);
      const attnFn = (h: Mat): Mat => {
        const q = lin(h, 'q');
        const k = lin(h, 'k');
        const v = lin(h, 'v');
        const merged: Mat = Array.from({ length: t }, () => new Array(d).fill(0));
        for (let hh = 0; hh < H; hh++) {
          for (let i = 0; i < t; i++) {
            const sc: number[] = [];
            for (let j = 0; j <= i; j++) {
              let dot = 0;
              for (let e = 0; e < hd; e++) dot += q[i][hh * hd + e] * k[j][hh * hd + e];
              sc.push(dot / Math.sqrt(hd));
            }
            const ex = sc.map(Math.exp);
            const denom = ex.reduce((a2, x2) => a2 + x2, 0) + (c.softmax === 'off-by-one' ? 1 : 0);
            const p = Array.from({ length: t }, (_, j) => (j <= i ? ex[j] / denom : 0));
            attn[l].push(...p);
            for (let j = 0; j <= i; j++) for (let e = 0; e < hd; e++) merged[i][hh * hd + e] += p[j] * v[j][hh * hd + e];
          }
        }
        return lin(merged, 'o');
      };
      if (c.norm === 'pre') x = addMat(x, attnFn(ln(x)));
      else if (c.norm === 'post') x = addMat(x, ln(attnFn(x)));
      else x = addMat(x, attnFn(x));
    }
    for (const row of matmul(x, rec['unembed.kernel'])) logits.push(...row);
  }
  // attn[l] was filled per sample, head, query: exactly [B,H,T,T] row-major.
  return { logits, attn };
}

describe('forward', () => {
  it('matches a plain-JS forward of the SPEC (FP, 1 and 2 layers, every norm/pos/softmax)', () => {
    for (const numLayers of [1, 2]) {
      for (const norm of NORM_MODES) {
        for (const posEmbed of POS_EMBEDS) {
          for (const softmax of SOFTMAX_MODES) {
            const c = tinyConfig({ numLayers, norm, posEmbed, softmax });
            const rec = randomRecord(c, 17);
            const model = createModel(c, 0);
            // load the reference values into the model's variables
            for (const [name, v] of Object.entries(model.params)) v.assign(tf.tensor(rec[name].data, rec[name].shape));
            const { logits, attention } = model.forward(IDS, [B, T]);
            const ref = referenceForward(rec, c, IDS, B, T);
            expectClose(logits.dataSync(), ref.logits, 1e-4);
            attention.forEach((a, l) => expectClose(a.dataSync(), ref.attn[l], 1e-5));
            tf.dispose([logits, ...attention]);
            model.dispose();
          }
        }
      }
    }
  });

  it('gives [B,T,V] logits and per-layer [B,H,T,T] causal attention for every option combination', () => {
    for (const posEmbed of POS_EMBEDS) {
      for (const norm of NORM_MODES) {
        for (const softmax of SOFTMAX_MODES) {
          for (const precision of PRECISIONS) {
            const c = tinyConfig({ posEmbed, norm, softmax, precision });
            const model = createModel(c, 1);
            const before = tf.memory().numTensors;
            const { logits, attention } = model.forward(IDS, [B, T]);
            expect(logits.shape).toEqual([B, T, 7]);
            expect(attention).toHaveLength(2);
            const l = logits.dataSync();
            expect(l.every(Number.isFinite)).toBe(true);
            for (const a of attention) {
              expect(a.shape).toEqual([B, 2, T, T]);
              const p = a.dataSync();
              for (let row = 0; row < B * 2 * T; row++) {
                const i = row % T;
                let sum = 0;
                for (let j = 0; j < T; j++) {
                  const v = p[row * T + j];
                  if (j > i) expect(v).toBe(0);
                  expect(v).toBeGreaterThanOrEqual(0);
                  sum += v;
                }
                if (softmax === 'vanilla') expect(sum).toBeCloseTo(1, 5);
                else {
                  expect(sum).toBeLessThan(1);
                  expect(sum).toBeGreaterThan(0);
                }
              }
            }
            expect(tf.memory().numTensors).toBe(before + 1 + attention.length);
            tf.dispose([logits, ...attention]);
            expect(tf.memory().numTensors).toBe(before);
            model.dispose();
          }
        }
      }
    }
  });

  it('1bit and 1.58bit projections give different outputs than FP, frozen-sign equals 1bit forward', () => {
    const out: Record<string, Float32Array> = {};
    for (const precision of PRECISIONS) {
      const model = createModel(tinyConfig({ precision }), 4);
      const { logits, attention } = model.forward(IDS, [B, T]);
      out[precision] = logits.dataSync() as Float32Array;
      tf.dispose([logits, ...attention]);
      model.dispose();
    }
    expect(out['1bit']).not.toEqual(out.fp);
    expect(out['1.58bit']).not.toEqual(out['1bit']);
    expect(out['frozen-sign']).toEqual(out['1bit']);
  });

  it('accepts an int32 tensor and nested arrays, and shorter sequences', () => {
    const model = createModel(tinyConfig(), 2);
    const fromFlat = model.forward(IDS, [B, T]);
    const ids = tf.tensor2d(IDS, [B, T], 'int32');
    const fromTensor = model.forward(ids);
    const fromNested = model.forward([Array.from(IDS.subarray(0, 5)), Array.from(IDS.subarray(5))]);
    expect(fromTensor.logits.dataSync()).toEqual(fromFlat.logits.dataSync());
    expect(fromNested.logits.dataSync()).toEqual(fromFlat.logits.dataSync());
    expect(ids.isDisposed).toBe(false);
    const short = model.forward([[1, 2, 3]]);
    expect(short.logits.shape).toEqual([1, 3, 7]);
    // causal: the first 3 positions do not depend on later tokens
    const prefix = model.forward([Array.from(IDS.subarray(0, 3))]);
    expectClose(prefix.logits.dataSync(), fromFlat.logits.dataSync().subarray(0, 3 * 7), 1e-5);
    ids.dispose();
    for (const r of [fromFlat, fromTensor, fromNested, short, prefix]) tf.dispose([r.logits, ...r.attention]);
    model.dispose();
  });

  it('rejects bad ids with ModelInputError and bad params with ModelParamsError', () => {
    const c = tinyConfig();
    const model = createModel(c, 0);
    const before = tf.memory().numTensors;
    const bad: [() => unknown, RegExp][] = [
      [() => model.forward(IDS), /shape/],
      [() => model.forward(IDS, [3, 3]), /batch\*length = 10/],
      [() => model.forward(Int32Array.from([0, 7]), [1, 2]), /Token id 7 .* 0\.\.6/],
      [() => model.forward([[0, 1], [2]]), /rectangular/],
      [() => model.forward([[0.5]]), /integers/],
      [() => model.forward([[0, 1, 2, 3, 4, 5]]), /maxSeqLength \(5\)/],
    ];
    for (const [fn, re] of bad) {
      expect(fn).toThrow(ModelInputError);
      expect(fn).toThrow(re);
    }
    const floatIds = tf.tensor2d([[0, 1]], [1, 2], 'float32');
    expect(() => model.forward(floatIds)).toThrow(/int32/);
    floatIds.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const { tok_embed: _drop, ...rest } = model.params;
    expect(() => forward(rest, c, IDS, [B, T])).toThrow(ModelParamsError);
    expect(() => forward(model.params, tinyConfig({ embedSize: 4 }), IDS, [B, T])).toThrow(/shape/);
    model.dispose();
  });

  it('trains: gradients reach every trainable parameter (none to frozen-sign kernels)', () => {
    for (const precision of ['fp', '1bit', 'frozen-sign'] as const) {
      const c = tinyConfig({ precision, softmax: 'off-by-one' });
      const model = createModel(c, 3);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => {
        const { logits } = model.forward(IDS, [B, T]);
        return tf.mean(tf.square(logits)) as tf.Scalar;
      });
      for (const [name, v] of Object.entries(model.params)) {
        if (!v.trainable) {
          expect(grads[v.name]).toBeUndefined();
          continue;
        }
        const g = grads[v.name];
        expect(g).toBeDefined();
        const gd = g.dataSync();
        expect(gd.every(Number.isFinite)).toBe(true);
        if (!gd.some((x) => x !== 0)) throw new Error(`zero gradient for ${name} (${precision})`);
      }
      const frozen = Object.entries(model.params).filter(([, v]) => !v.trainable).map(([n]) => n);
      expect(frozen.length).toBe(precision === 'frozen-sign' ? 8 : 0);
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });
});
