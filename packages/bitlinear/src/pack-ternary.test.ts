import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';
import {
  packTernary,
  packTernaryCodes,
  packTernaryWeights,
  ternaryCode,
  unpackTernary,
  unpackTernaryWeights,
} from './pack-ternary';
import { expectClose, seededValues, useCpu } from './test-setup';
import { ternarizeWeights } from './weight-quantizers';

beforeAll(useCpu);

describe('ternary byte layout', () => {
  it('packs 2 bits per weight (00 0, 01 +1, 10 -1), input 0 in bits 0-1', () => {
    // [in 5, out 1]: codes +1, -1, 0, +1 | -1
    const bits = packTernaryCodes([1, -1, 0, 1, -1], 5, 1);
    expect(Array.from(bits)).toEqual([0b01_00_10_01, 0b00_00_00_10]);
  });

  it('lays out one row of bytes per output', () => {
    // [in 2, out 2] row-major: w[i=0] = [+1, -1], w[i=1] = [0, +1]
    expect(Array.from(packTernaryCodes([1, -1, 0, 1], 2, 2))).toEqual([0b00_01, 0b01_10]);
  });

  it('ternaryCode rounds half to even and clips', () => {
    expect([0.5, -0.5, 0.51, 1.5, -7, 0].map((w) => ternaryCode(w, 1))).toEqual([0, 0, 1, 1, -1, 0]);
  });
});

describe('ternary round trip', () => {
  for (const [inF, outF] of [
    [4, 3],
    [13, 5],
    [1, 2],
  ] as const) {
    it(`in ${inF}, out ${outF}: unpackTernaryWeights equals ternarizeWeights`, () => {
      const w = seededValues(inF * outF, inF * 31 + outF, 0.1);
      const packed = packTernaryWeights(w, inF, outF);
      expect(packed.bits.length).toBe(outF * Math.ceil(inF / 4));
      expect(Array.from(packTernary(w, inF, outF))).toEqual(Array.from(packed.bits));
      const codes = unpackTernary(packed.bits, inF, outF);
      expect(Array.from(packTernaryCodes(codes, inF, outF))).toEqual(Array.from(packed.bits));
      const expected = ternarizeWeights(tf.tensor2d(w, [inF, outF])).dataSync();
      expectClose(unpackTernaryWeights(packed), expected, 1e-6);
    });
  }
});

describe('ternary errors', () => {
  it('rejects codes other than -1, 0, 1 and the invalid pattern 11', () => {
    expect(() => packTernaryCodes([2], 1, 1)).toThrow(BitLinearError);
    expect(() => packTernaryCodes([2], 1, 1)).toThrow(/must be -1, 0 or 1; got 2/);
    expect(() => unpackTernary(new Uint8Array([0b11]), 1, 1)).toThrow(/invalid ternary code 0b11/);
  });
});
