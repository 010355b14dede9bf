import * as tf from '@tensorflow/tfjs-core';

/**
 * Sinusoidal positional table `[length, dim]`, row-major: for position `pos` and
 * `i = 0, 1, ...`, dim `2i` holds `sin(pos / 10000^(2i/dim))` and dim `2i+1` holds
 * `cos(pos / 10000^(2i/dim))` (Vaswani et al. 2017). Computed in float64, stored float32.
 */
export function sinusoidalTable(length: number, dim: number): Float32Array {
  const table = new Float32Array(length * dim);
  for (let pos = 0; pos < length; pos++) {
    for (let j = 0; j < dim; j++) {
      const twoI = j - (j % 2);
      const angle = pos / Math.pow(10000, twoI / dim);
      table[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}

/** `sinusoidalTable` as a `[length, dim]` float32 tensor (caller disposes). */
export function sinusoidalEncoding(length: number, dim: number): tf.Tensor2D {
  return tf.tensor2d(sinusoidalTable(length, dim), [length, dim], 'float32');
}
