/**
 * Seeded pseudo-random numbers: sfc32 seeded through splitmix32.
 *
 * Algorithm (all arithmetic on unsigned 32-bit integers, wrapping mod 2^32):
 *
 * - Seeding. A uint32 `seed` is expanded by **splitmix32**: keep a counter `s = seed`;
 *   each output does `s += 0x9E3779B9; z = s; z = (z ^ (z >>> 16)) * 0x21F0AAAD;
 *   z = (z ^ (z >>> 15)) * 0x735A2D97; z ^= z >>> 15` and returns `z`. Four outputs
 *   give the sfc32 words `a, b, c, d` in that order, then 15 sfc32 outputs are discarded.
 * - Generator. **sfc32** (Chris Doty-Humphrey's Small Fast Counting generator, as in
 *   PractRand): `t = a + b + d; d += 1; a = b ^ (b >>> 9); b = c + (c << 3);
 *   c = ((c << 21) | (c >>> 11)) + t; return t`. Period at least 2^32 (the counter `d`).
 * - `next()` = `nextUint32() / 2^32`, in [0, 1) with 32 bits of resolution.
 * - `nextInt(n)` (1 <= n <= 2^32): rejection sampling without modulo bias: draw
 *   `u = nextUint32()` until `u < 2^32 - (2^32 mod n)`, return `u mod n`.
 * - `nextNormal()`: Box-Muller. `u1 = 1 - next()` (in (0, 1]), `u2 = next()`,
 *   `r = sqrt(-2 ln u1)`; returns `r cos(2 pi u2)` and keeps `r sin(2 pi u2)` as a spare
 *   that the next call returns without drawing. The spare is part of the state.
 *
 * Integer and uniform streams are bit-exact on every JavaScript engine. Normal values
 * go through `Math.log/cos/sin/sqrt`, which ECMAScript lets engines approximate, so they
 * may differ in the last bits between engines (V8 gives the same values on every OS).
 *
 * `deriveSeed(seed, stream)` = `mix(mix(seed) + (stream + 1) * 0x9E3779B9)` with `mix`
 * the splitmix32 finaliser above: an independent seed for a numbered sub-stream (for
 * example one per epoch); for a fixed seed, distinct streams give distinct seeds.
 */
import { CopyTaskError } from './errors';
import { checkInteger, checkSeed } from './options';

/** Plain, JSON-serialisable state of a {@link Prng}; restore it with `setState`. */
export interface PrngState {
  algorithm: 'sfc32';
  /** The four sfc32 words, each an integer in 0..2^32-1 (`d` is the counter). */
  a: number;
  b: number;
  c: number;
  d: number;
  /** The cached second Box-Muller value, or null when none is cached. */
  spareNormal: number | null;
}

/** A seeded generator. All methods advance (or read) the same state. */
export interface Prng {
  /** Uniform integer in 0..2^32-1. */
  nextUint32(): number;
  /** Uniform float in [0, 1) (multiples of 2^-32). */
  next(): number;
  /** Uniform integer in 0..n-1, without modulo bias; n an integer in 1..2^32. */
  nextInt(n: number): number;
  /** Standard normal (mean 0, standard deviation 1), Box-Muller. */
  nextNormal(): number;
  /** A copy of the current state (plain JSON data). */
  getState(): PrngState;
  /** Restores a state from `getState()` (also after a JSON round trip). */
  setState(state: PrngState): void;
}

const TWO_POW_32 = 4294967296;

/** The splitmix32 output function (a bijection on uint32). */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Seed of the numbered sub-stream `stream` of `seed` (both integers in 0..2^32-1). */
export function deriveSeed(seed: number, stream: number): number {
  checkSeed('seed', seed);
  checkInteger('stream', stream, 0, 0xffffffff);
  return mix32((mix32(seed) + Math.imul((stream + 1) >>> 0, 0x9e3779b9)) >>> 0);
}

function isUint32(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
}

/**
 * Creates the package's seeded generator (sfc32 seeded via splitmix32, see the file
 * comment). `seed` is an integer in 0..2^32-1.
 * @throws CopyTaskError for any other seed.
 */
export function createPrng(seed: number): Prng {
  checkSeed('seed', seed);
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    return mix32(s);
  };
  let a = splitmix() | 0;
  let b = splitmix() | 0;
  let c = splitmix() | 0;
  let d = splitmix() | 0;
  let spare: number | null = null;

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) nextUint32();

  const next = (): number => nextUint32() / TWO_POW_32;

  return {
    nextUint32,
    next,
    nextInt(n: number): number {
      if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= TWO_POW_32)) {
        throw new CopyTaskError('n', n, 'an integer in 1..2^32 for nextInt(n)');
      }
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let u = nextUint32();
      while (u >= limit) u = nextUint32();
      return u % n;
    },
    nextNormal(): number {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      const u1 = 1 - next();
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = 2 * Math.PI * u2;
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    getState(): PrngState {
      return { algorithm: 'sfc32', a: a >>> 0, b: b >>> 0, c: c >>> 0, d: d >>> 0, spareNormal: spare };
    },
    setState(state: PrngState): void {
      const st = state as unknown as Record<string, unknown> | null;
      const ok =
        typeof st === 'object' &&
        st !== null &&
        st.algorithm === 'sfc32' &&
        isUint32(st.a) &&
        isUint32(st.b) &&
        isUint32(st.c) &&
        isUint32(st.d) &&
        (st.spareNormal === null || (typeof st.spareNormal === 'number' && Number.isFinite(st.spareNormal)));
      if (!ok) {
        throw new CopyTaskError(
          'state',
          state,
          "an object from getState(): { algorithm: 'sfc32', a, b, c, d: integers in 0..2^32-1, spareNormal: finite number or null }",
        );
      }
      a = (st.a as number) | 0;
      b = (st.b as number) | 0;
      c = (st.c as number) | 0;
      d = (st.d as number) | 0;
      spare = st.spareNormal as number | null;
    },
  };
}
