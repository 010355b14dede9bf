// Test-only helpers (not part of the build): tiny @ihc/model models, the TF.js forward
// on the cpu backend, and onnxruntime-node runs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { disposeParams, forward, initParamRecord, paramsFromRecord, resolveModelConfig } from '@ihc/model';
import * as ort from 'onnxruntime-node';
import type { ExportableModel, ModelConfig } from './config';

tf.env().set('PROD', true); // no "install tfjs-node" banner

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** mulberry32 in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tiny config: V 11, T 8, d 16, 2 heads, 2 layers. */
export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return resolveModelConfig({
    vocabSize: 11,
    maxSeqLength: 8,
    embedSize: 16,
    numHeads: 2,
    numLayers: 2,
    initStd: 0.25,
    ...overrides,
  }) as ModelConfig;
}

/**
 * @ihc/model's seeded initialisation with initStd 0.25 (so logits are O(1) and attention
 * is far from uniform), plus seeded non-trivial biases and LayerNorm gain/shift so that
 * every parameter matters.
 */
export function tinyModel(config: ModelConfig, seed = 1): ExportableModel {
  const weights = initParamRecord(config, seed);
  const rand = prng(seed + 1000);
  for (const [name, w] of Object.entries(weights)) {
    if (name.endsWith('.bias') || name === 'ln.beta') for (let i = 0; i < w.data.length; i++) w.data[i] = (rand() - 0.5) * 0.2;
    if (name === 'ln.gamma') for (let i = 0; i < w.data.length; i++) w.data[i] = 1 + (rand() - 0.5) * 0.2;
  }
  return { config, weights };
}

/** Seeded token ids [batch][seq]. */
export function randomIds(batch: number, seq: number, vocab: number, seed: number): number[][] {
  const rand = prng(seed);
  return Array.from({ length: batch }, () => Array.from({ length: seq }, () => Math.floor(rand() * vocab)));
}

/** @ihc/model's TF.js forward (cpu backend), as plain arrays. */
export function tfForward(model: ExportableModel, ids: number[][]): { logits: Float32Array; attention: Float32Array[] } {
  const params = paramsFromRecord(model.weights, model.config);
  try {
    const out = forward(params, model.config, ids);
    const result = {
      logits: out.logits.dataSync() as Float32Array,
      attention: out.attention.map((a) => a.dataSync() as Float32Array),
    };
    out.logits.dispose();
    out.attention.forEach((a) => a.dispose());
    return result;
  } finally {
    disposeParams(params);
  }
}

/** Runs ONNX bytes on onnxruntime-node CPU; returns every output. */
export async function ortRun(bytes: Uint8Array, ids: number[][]): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  try {
    const flat = BigInt64Array.from(ids.flat().map((v) => BigInt(v)));
    const out = await session.run({ input_ids: new ort.Tensor('int64', flat, [ids.length, ids[0].length]) });
    const result: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(out)) result[k] = v.data as Float32Array;
    return result;
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(d)) return Infinity;
    if (d > m) m = d;
  }
  return m;
}

/** Distance of the closest value to a rounding boundary (k + 0.5). */
export function roundingMargin(values: Iterable<Float32Array>): number {
  let m = Infinity;
  for (const arr of values) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (Math.abs(v) > 127.5) continue; // clipped either way
      m = Math.min(m, Math.abs(v - Math.floor(v) - 0.5));
    }
  }
  return m;
}
