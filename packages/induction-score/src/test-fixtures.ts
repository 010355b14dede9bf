import type { RunScores } from './run-scores';

// Helpers for tests only (not exported from the package).

/** Shape [layers?, batch, heads, T, T] filled row by row: row(l, b, h, t) returns the key distribution. */
export function buildAttention(
  dims: { layers?: number; batch: number; heads: number; length: number },
  row: (l: number, b: number, h: number, t: number) => ArrayLike<number>,
): { data: Float32Array; shape: number[] } {
  const L = dims.layers ?? 1;
  const { batch: B, heads: H, length: T } = dims;
  const data = new Float32Array(L * B * H * T * T);
  let o = 0;
  for (let l = 0; l < L; l++)
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < T; t++) {
          const r = row(l, b, h, t);
          for (let k = 0; k < T; k++) data[o++] = r[k] ?? 0;
        }
  const shape = dims.layers === undefined ? [B, H, T, T] : [L, B, H, T, T];
  return { data, shape };
}

/** Uniform causal row: 1/(t+1) on keys 0..t. */
export function uniformRow(t: number, T: number): Float64Array {
  const r = new Float64Array(T);
  for (let k = 0; k <= t; k++) r[k] = 1 / (t + 1);
  return r;
}

/** All mass on one key. */
export function oneHotRow(k: number, T: number): Float64Array {
  const r = new Float64Array(T);
  r[k] = 1;
  return r;
}

/** Perfect induction row: mass spread evenly over keys j (1 <= j <= t) with tokens[j-1] == tokens[t]; else on key 0. */
export function inductionRow(tokens: ArrayLike<number>, t: number, T: number): Float64Array {
  const keys: number[] = [];
  for (let j = 1; j <= t; j++) if (tokens[j - 1] === tokens[t]) keys.push(j);
  if (keys.length === 0) return oneHotRow(0, T);
  const r = new Float64Array(T);
  for (const j of keys) r[j] = 1 / keys.length;
  return r;
}

/** Deterministic small PRNG (mulberry32) for test data. */
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

/** Random causal softmax-like row (positive weights on keys 0..t normalised to 1). */
export function randomCausalRow(rand: () => number, t: number, T: number): Float64Array {
  const r = new Float64Array(T);
  let s = 0;
  for (let k = 0; k <= t; k++) {
    r[k] = rand() + 0.01;
    s += r[k];
  }
  for (let k = 0; k <= t; k++) r[k] /= s;
  return r;
}

/** Copy-task-like sentence inputs: pre + ['&', m] + noise + ['&'] (length T), and its positions. */
export function copySentence(
  rand: () => number,
  T: number,
  vocab = 26,
  amp = 26,
): { tokens: number[]; queryPos: number; keyPos: number } {
  const preLen = Math.floor(rand() * 4);
  const letter = (): number => Math.floor(rand() * vocab);
  const tokens: number[] = [];
  for (let i = 0; i < preLen; i++) tokens.push(letter());
  tokens.push(amp, letter());
  while (tokens.length < T - 1) tokens.push(letter());
  tokens.push(amp);
  return { tokens, queryPos: T - 1, keyPos: preLen + 1 };
}

/** Catches the error thrown by fn (fails the test if none). */
export function thrown(fn: () => unknown): { code?: string; message: string; name: string } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message: string; name: string };
  }
  throw new Error('expected an error to be thrown');
}

/** A valid RunScores with table values fill + i/100 (token: + 0.3). */
export function makeRun(overrides: Partial<RunScores['config']> = {}, fill = 0.1, accuracy = 0.5): RunScores {
  const config: RunScores['config'] = {
    runId: 'e64-h2-pre-learnable-fp-s0',
    embedSize: 64,
    numHeads: 2,
    numLayers: 2,
    norm: 'pre',
    posEmbed: 'learnable',
    precision: 'fp',
    softmax: 'vanilla',
    seed: 0,
    ...overrides,
  };
  const n = config.numHeads * config.numLayers;
  const table = (definition: 'target' | 'token', offset: number) => ({
    definition,
    layers: config.numLayers,
    heads: config.numHeads,
    values: Array.from({ length: n }, (_, i) => fill + offset + i / 100),
    sampleCount: 500,
    description: definition,
  });
  const split = (name: 'train' | 'eval') => ({
    split: name,
    copyAccuracy: accuracy,
    loss: 1.5,
    sampleCount: name === 'train' ? 5500 : 500,
    scores: { target: table('target', 0), token: table('token', 0.3) },
  });
  return { version: 1, config, steps: 100, seconds: 12.5, backend: 'wasm', splits: { train: split('train'), eval: split('eval') } };
}

