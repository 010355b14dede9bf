import { CopyTaskError } from './errors';
import { createPrng, deriveSeed, mix32 } from './prng';

/** Independent reference: splitmix32 + sfc32 written with BigInt arithmetic. */
function referenceUint32(seed: number, n: number): number[] {
  const M = (1n << 32n) - 1n;
  let s = BigInt(seed);
  const splitmix = (): bigint => {
    s = (s + 0x9e3779b9n) & M;
    let z = s;
    z = ((z ^ (z >> 16n)) * 0x21f0aaadn) & M;
    z = ((z ^ (z >> 15n)) * 0x735a2d97n) & M;
    return z ^ (z >> 15n);
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const step = (): bigint => {
    const t = (a + b + d) & M;
    d = (d + 1n) & M;
    a = b ^ (b >> 9n);
    b = (c + (c << 3n)) & M;
    c = (((c << 21n) | (c >> 11n)) & M) + t;
    c &= M;
    return t;
  };
  for (let i = 0; i < 15; i++) step();
  return Array.from({ length: n }, () => Number(step()));
}

describe('createPrng: golden values (catch any change of algorithm)', () => {
  it('nextUint32 for seed 0', () => {
    const p = createPrng(0);
    expect(Array.from({ length: 8 }, () => p.nextUint32())).toEqual([
      1664216021, 3479288465, 3033988455, 3613202701, 498307305, 1123064601, 2245528788, 1016128239,
    ]);
  });
  it('nextUint32 for seed 2^32-1', () => {
    const p = createPrng(0xffffffff);
    expect(Array.from({ length: 4 }, () => p.nextUint32())).toEqual([
      3823104220, 1358629326, 3404600419, 385091411,
    ]);
  });
  it('next for seed 0 is nextUint32 / 2^32', () => {
    const p = createPrng(0);
    expect(Array.from({ length: 4 }, () => p.next())).toEqual([
      0.3874804873485118, 0.810084972763434, 0.7064054848160595, 0.8412643105257303,
    ]);
  });
  it('nextInt(27) for seed 12345', () => {
    const p = createPrng(12345);
    expect(Array.from({ length: 16 }, () => p.nextInt(27))).toEqual([
      16, 12, 10, 7, 8, 7, 9, 17, 13, 12, 24, 3, 21, 20, 17, 4,
    ]);
  });
  it('nextNormal for seed 7 (to 12 digits: Math.log/sin/cos may differ by engine)', () => {
    const p = createPrng(7);
    const expected = [
      0.38074645250475175, 0.15166704692969316, -0.29270648189479553, -0.07426589865174449,
    ];
    for (const e of expected) expect(p.nextNormal()).toBeCloseTo(e, 12);
  });
  it('initial state for seed 0', () => {
    expect(createPrng(0).getState()).toEqual({
      algorithm: 'sfc32',
      a: 251079702,
      b: 3566352030,
      c: 706046234,
      d: 2141751585,
      spareNormal: null,
    });
  });
  it('deriveSeed', () => {
    expect([deriveSeed(0, 0), deriveSeed(0, 1), deriveSeed(1, 0)]).toEqual([
      1684164658, 3653269916, 4114278092,
    ]);
  });
});

describe('createPrng', () => {
  it('matches an independent BigInt implementation of splitmix32 + sfc32', () => {
    for (const seed of [0, 1, 42, 0x80000000, 0xffffffff]) {
      const p = createPrng(seed);
      const got = Array.from({ length: 500 }, () => p.nextUint32());
      expect(got).toEqual(referenceUint32(seed, 500));
    }
  });

  it('is deterministic and different seeds differ', () => {
    const draw = (seed: number) => {
      const p = createPrng(seed);
      return Array.from({ length: 20 }, () => p.nextUint32());
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('next() stays in [0, 1)', () => {
    const p = createPrng(9);
    let inRange = true;
    for (let i = 0; i < 10000; i++) {
      const x = p.next();
      if (!(x >= 0 && x < 1)) inRange = false;
    }
    expect(inRange).toBe(true);
  });

  it('nextInt covers 0..n-1 roughly uniformly', () => {
    const p = createPrng(5);
    const n = 7;
    const counts = new Array(n).fill(0);
    const draws = 70000;
    let inRange = true;
    for (let i = 0; i < draws; i++) {
      const k = p.nextInt(n);
      if (!(Number.isInteger(k) && k >= 0 && k < n)) inRange = false;
      counts[k]++;
    }
    expect(inRange).toBe(true);
    // chi-square with 6 degrees of freedom; 0.1% critical value is 22.46
    const expected = draws / n;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(22.46);
  });

  it('nextInt rejects draws that would bias the modulo', () => {
    // n = 3 * 2^30: limit = 2^32 - 2^30, so draws >= 3 * 2^30 are rejected and
    // results below 2^30 are not twice as likely as the others.
    const n = 3 * 2 ** 30;
    const p = createPrng(11);
    let low = 0;
    const draws = 30000;
    let inRange = true;
    for (let i = 0; i < draws; i++) {
      const k = p.nextInt(n);
      if (!(k >= 0 && k < n)) inRange = false;
      if (k < 2 ** 30) low++;
    }
    expect(inRange).toBe(true);
    // unbiased: 1/3 of draws; modulo bias would give 1/2
    expect(low / draws).toBeGreaterThan(0.31);
    expect(low / draws).toBeLessThan(0.36);
  });

  it('nextInt(1) is 0 and nextInt(2^32) is a full uint32', () => {
    const p = createPrng(1);
    expect(p.nextInt(1)).toBe(0);
    const q = createPrng(0);
    expect(q.nextInt(2 ** 32)).toBe(1664216021);
  });

  it('nextInt rejects bad n', () => {
    const p = createPrng(0);
    for (const n of [0, -1, 1.5, NaN, Infinity, 2 ** 32 + 1]) {
      expect(() => p.nextInt(n)).toThrow(CopyTaskError);
    }
    expect(() => p.nextInt(0)).toThrow(/Invalid n: got 0; expected an integer in 1\.\.2\^32/);
  });

  it('nextNormal has mean ~0 and variance ~1', () => {
    const p = createPrng(21);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const z = p.nextNormal();
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    expect(Number.isFinite(sq)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(sq / n - mean * mean - 1)).toBeLessThan(0.05);
  });

  it('getState/setState resume exactly, through JSON, including a cached normal', () => {
    const p = createPrng(123);
    p.nextUint32();
    p.nextNormal(); // leaves a spare
    const saved = JSON.parse(JSON.stringify(p.getState()));
    expect(saved.spareNormal).not.toBeNull();
    const seq = () => [p.nextNormal(), p.nextUint32(), p.nextInt(1000), p.next(), p.nextNormal()];
    const first = seq();
    const q = createPrng(0);
    q.setState(saved);
    const again = [q.nextNormal(), q.nextUint32(), q.nextInt(1000), q.next(), q.nextNormal()];
    expect(again).toEqual(first);
    p.setState(saved);
    expect(seq()).toEqual(first);
  });

  it('getState returns a copy', () => {
    const p = createPrng(1);
    const s = p.getState();
    p.nextUint32();
    expect(p.getState()).not.toEqual(s);
  });

  it('setState rejects malformed states', () => {
    const p = createPrng(0);
    const good = p.getState();
    const bad: unknown[] = [
      null,
      {},
      { ...good, algorithm: 'xoshiro' },
      { ...good, a: -1 },
      { ...good, b: 2 ** 32 },
      { ...good, c: 1.5 },
      { ...good, d: '1' },
      { ...good, spareNormal: NaN },
      { ...good, spareNormal: undefined },
    ];
    for (const s of bad) {
      expect(() => p.setState(s as never)).toThrow(CopyTaskError);
    }
    expect(p.getState()).toEqual(good);
  });

  it('rejects bad seeds', () => {
    for (const seed of [-1, 1.5, 2 ** 32, NaN, '1', undefined]) {
      let err: unknown;
      try {
        createPrng(seed as number);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CopyTaskError);
      expect((err as CopyTaskError).option).toBe('seed');
      expect((err as CopyTaskError).value).toBe(seed);
    }
    expect(() => createPrng(-1)).toThrow('Invalid seed: got -1; expected an integer in 0..4294967295.');
  });
});

describe('mix32 and deriveSeed', () => {
  it('mix32 is the splitmix32 finaliser', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(0x9e3779b9)).toBe(referenceFirstSplitmix());
  });
  it('distinct streams of one seed give distinct seeds', () => {
    const seen = new Set<number>();
    for (let e = 0; e < 1000; e++) seen.add(deriveSeed(77, e));
    expect(seen.size).toBe(1000);
    expect(deriveSeed(77, 0)).not.toBe(77);
  });
  it('rejects bad arguments', () => {
    expect(() => deriveSeed(-1, 0)).toThrow(CopyTaskError);
    expect(() => deriveSeed(0, -1)).toThrow(/Invalid stream/);
    expect(() => deriveSeed(0, 0.5)).toThrow(CopyTaskError);
  });
});

function referenceFirstSplitmix(): number {
  // the first splitmix32 output of seed 0, computed with BigInt
  const M = (1n << 32n) - 1n;
  let z = 0x9e3779b9n;
  z = ((z ^ (z >> 16n)) * 0x21f0aaadn) & M;
  z = ((z ^ (z >> 15n)) * 0x735a2d97n) & M;
  return Number(z ^ (z >> 15n));
}
