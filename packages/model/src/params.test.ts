import * as tf from '@tensorflow/tfjs-core';
import { createPrng } from '@ihc/copy-task';
import { NORM_MODES, POS_EMBEDS, PRECISIONS, type ModelConfig } from './config';
import { ModelParamsError } from './errors';
import {
  countParams,
  disposeParams,
  initParamRecord,
  initParams,
  isTrainable,
  paramNames,
  paramShapes,
  paramsFromRecord,
  paramsToRecord,
  paramsToRecordAsync,
  type ParamRecord,
} from './params';
import { tinyConfig, useCpu } from './test-setup';

beforeAll(useCpu);

function expectedShapes(c: ModelConfig): Record<string, number[]> {
  const d = c.embedSize;
  const out: Record<string, number[]> = { tok_embed: [c.vocabSize, d], 'unembed.kernel': [d, c.vocabSize] };
  if (c.posEmbed === 'learnable') out.pos_embed = [c.maxSeqLength, d];
  if (c.norm !== 'none') Object.assign(out, { 'ln.gamma': [d], 'ln.beta': [d] });
  for (let i = 0; i < c.numLayers; i++) {
    for (const p of ['q', 'k', 'v', 'o']) {
      out[`layers.${i}.attn.${p}.kernel`] = [d, d];
      out[`layers.${i}.attn.${p}.bias`] = [d];
    }
  }
  return out;
}

describe('paramShapes', () => {
  it('names and shapes follow the SPEC for every option combination', () => {
    for (const posEmbed of POS_EMBEDS) {
      for (const norm of NORM_MODES) {
        for (const precision of PRECISIONS) {
          const c = tinyConfig({ posEmbed, norm, precision, numLayers: 3 });
          expect(paramShapes(c)).toEqual(expectedShapes(c));
        }
      }
    }
  });

  it('counts parameters (study model: d 64, V 27, T 29, learnable, pre)', () => {
    const c = tinyConfig({ vocabSize: 27, maxSeqLength: 29, embedSize: 64, numHeads: 4 });
    expect(countParams(c)).toBe(27 * 64 + 29 * 64 + 2 * 64 + 2 * 4 * (64 * 64 + 64) + 64 * 27);
  });

  it('paramNames are sorted', () => {
    const names = paramNames(tinyConfig());
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe('layers.0.attn.k.bias');
    expect(names[names.length - 1]).toBe('unembed.kernel');
  });
});

describe('initParams', () => {
  it('initialises per the SPEC: normals (std initStd), zero biases, LN gamma 1 beta 0', () => {
    const c = tinyConfig({ vocabSize: 50, embedSize: 32, numHeads: 4, initStd: 0.1 });
    const rec = initParamRecord(c, 3);
    for (const name of Object.keys(rec)) {
      const data = rec[name].data;
      if (name.endsWith('.bias') || name === 'ln.beta') expect(Array.from(data).every((x) => x === 0)).toBe(true);
      else if (name === 'ln.gamma') expect(Array.from(data).every((x) => x === 1)).toBe(true);
      else {
        const mean = data.reduce((a, b) => a + b, 0) / data.length;
        const std = Math.sqrt(data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length);
        expect(Math.abs(mean)).toBeLessThan(0.05);
        expect(std).toBeGreaterThan(0.07);
        expect(std).toBeLessThan(0.13);
      }
    }
  });

  it('draws from createPrng(seed).nextNormal() over sorted names, row-major', () => {
    const c = tinyConfig();
    const rec = initParamRecord(c, 11);
    const prng = createPrng(11);
    for (const name of paramNames(c)) {
      const data = rec[name].data;
      if (name.endsWith('.bias') || name.startsWith('ln.')) continue;
      for (let j = 0; j < data.length; j++) expect(data[j]).toBe(Math.fround(c.initStd * prng.nextNormal()));
    }
  });

  it('posInit ones gives a ones pos_embed and draws nothing for it', () => {
    const ones = initParamRecord(tinyConfig({ posInit: 'ones' }), 5);
    const normal = initParamRecord(tinyConfig({ posInit: 'normal' }), 5);
    expect(Array.from(ones.pos_embed.data).every((x) => x === 1)).toBe(true);
    expect(Array.from(normal.pos_embed.data).every((x) => x === 1)).toBe(false);
    // layers.* and ln.* come before pos_embed in sorted order; tok_embed after it.
    expect(ones['layers.1.attn.q.kernel'].data).toEqual(normal['layers.1.attn.q.kernel'].data);
    expect(ones.tok_embed.data).not.toEqual(normal.tok_embed.data);
  });

  it('is deterministic in the seed and differs across seeds', () => {
    const c = tinyConfig();
    const a = initParams(c, 1);
    const b = initParams(c, 1);
    const d = initParams(c, 2);
    const ra = paramsToRecord(a);
    expect(ra).toEqual(paramsToRecord(b));
    expect(ra.tok_embed.data).not.toEqual(paramsToRecord(d).tok_embed.data);
    [a, b, d].forEach(disposeParams);
  });

  it('Q/K/V/O kernels are not trainable only under frozen-sign', () => {
    for (const precision of PRECISIONS) {
      const c = tinyConfig({ precision });
      const params = initParams(c, 0);
      for (const [name, v] of Object.entries(params)) {
        const frozen = precision === 'frozen-sign' && /attn\.[qkvo]\.kernel$/.test(name);
        expect(v.trainable).toBe(!frozen);
        expect(isTrainable(name, c)).toBe(!frozen);
      }
      disposeParams(params);
    }
  });

  it('creates no stray tensors and disposes cleanly', () => {
    const before = tf.memory().numTensors;
    const params = initParams(tinyConfig(), 0);
    expect(tf.memory().numTensors).toBe(before + Object.keys(params).length);
    disposeParams(params);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('paramsToRecord / paramsFromRecord', () => {
  it('round-trips', async () => {
    const c = tinyConfig({ norm: 'post', posEmbed: 'trigonometric' });
    const params = initParams(c, 9);
    const rec = paramsToRecord(params);
    const back = paramsFromRecord(rec, c);
    expect(paramsToRecord(back)).toEqual(rec);
    expect(await paramsToRecordAsync(back)).toEqual(rec);
    expect(back['layers.0.attn.q.kernel']).not.toBe(params['layers.0.attn.q.kernel']);
    disposeParams(params);
    disposeParams(back);
  });

  function withChange(rec: ParamRecord, f: (r: Record<string, { shape: number[]; data: ArrayLike<number> }>) => void) {
    const copy: Record<string, { shape: number[]; data: ArrayLike<number> }> = { ...rec };
    f(copy);
    return copy;
  }

  it('rejects missing, extra, mis-shaped and mis-sized parameters', () => {
    const c = tinyConfig();
    const rec = initParamRecord(c, 0);
    const cases: [Record<string, { shape: number[]; data: ArrayLike<number> }>, string, string][] = [
      [withChange(rec, (r) => delete r['ln.gamma']), 'ln.gamma', 'Missing'],
      [withChange(rec, (r) => (r.extra = { shape: [1], data: [0] })), 'extra', 'Unexpected'],
      [withChange(rec, (r) => (r.tok_embed = { shape: [8, 7], data: rec.tok_embed.data })), 'tok_embed', 'shape [8,7]'],
      [withChange(rec, (r) => (r['unembed.kernel'] = { shape: [8, 7], data: new Float32Array(3) })), 'unembed.kernel', '3 values'],
    ];
    for (const [bad, param, text] of cases) {
      let err: unknown;
      try {
        paramsFromRecord(bad, c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelParamsError);
      expect((err as ModelParamsError).code).toBe('INVALID_PARAMS');
      expect((err as ModelParamsError).param).toBe(param);
      expect((err as Error).message).toContain(text);
    }
    // A record for another config (no LayerNorm) does not fit.
    expect(() => paramsFromRecord(rec, tinyConfig({ norm: 'none' }))).toThrow(/ln\.beta/);
  });
});
