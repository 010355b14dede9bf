// Test-only helpers (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import './gradients';
import '@tensorflow/tfjs-backend-cpu';
import { resolveModelConfig, type ModelConfig } from './config';

export async function useCpu(): Promise<void> {
  tf.env().set('IS_TEST', true); // silences the "install tfjs-node" banner, checks kernels for leaks
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A tiny config: V 7, T 5, d 8, 2 heads, 2 layers. */
export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return resolveModelConfig({ vocabSize: 7, maxSeqLength: 5, embedSize: 8, numHeads: 2, numLayers: 2, ...overrides });
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= tol * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`index ${i}: got ${actual[i]}, expected ${expected[i]} (tol ${tol})`);
    }
  }
}
