/**
 * Sinusoidal positional table `[length, dim]` (row-major), as @ihc/model: dim `2i` holds
 * `sin(pos / 10000^(2i/dim))`, dim `2i+1` holds `cos(pos / 10000^(2i/dim))`; computed
 * in float64, stored float32.
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
