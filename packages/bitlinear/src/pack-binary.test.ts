import * as tf from '@tensorflow/tfjs-core';
import { BitLinearError } from './errors';
import { packBinaryWeights, packSigns, unpackBinaryWeights, unpackSigns } from './pack-binary';
import { expectClose, seededValues, useCpu } from './test-setup';
import { binarizeWeights } from './weight-quantizers';

beforeAll(useCpu);

describe('packSigns byte layout', () => {
  it('puts input 0 in bit 0, LSB first along the input axis, one row of bytes per output', () => {
    // [in 10, out 2], mean 0; output 0 signs: + - - + + - - - | + -; output 1 all -1 except input 9
    const o0 = [1, -1, -1, 1, 1, -1, -1, -1, 1, -1];
    const o1 = [-1, -1, -1, -1, -1, -1, -1, -1, -1, 9];
    const w = new Float32Array(20);
    for (let i = 0; i < 10; i++) {
      w[i * 2] = o0[i];
      w[i * 2 + 1] = o1[i];
    }
    // o0 sums to -2 and o1 to 0, so mean(W) = -0.1: the signs of W - mean are those above
    const bits = packSigns(w, 10, 2);
    expect(Array.from(bits)).toEqual([0b00011001, 0b00000001, 0b00000000, 0b00000010]);
  });

  it('uses sign(W - mean W) with sign(0) = +1', () => {
    // mean 2: W - mean = [-1, 1, 0] -> bits 0, 1, 1
    expect(Array.from(packSigns([1, 3, 2], 3, 1))).toEqual([0b110]);
  });
});

describe('pack / unpack round trip', () => {
  for (const [inF, outF] of [
    [8, 3],
    [13, 5],
    [1, 1],
    [17, 2],
  ] as const) {
    it(`in ${inF}, out ${outF}: unpackBinaryWeights equals binarizeWeights`, () => {
      const w = seededValues(inF * outF, inF * 100 + outF, 0.1);
      const packed = packBinaryWeights(w, inF, outF);
      expect(packed.shape).toEqual([outF, inF]);
      expect(packed.bits.length).toBe(outF * Math.ceil(inF / 8));
      const signs = unpackSigns(packed.bits, inF, outF);
      expect(Array.from(signs).every((v) => v === 1 || v === -1)).toBe(true);
      expect(Array.from(packSigns(signs, inF, outF))).toEqual(Array.from(packed.bits));
      const expected = binarizeWeights(tf.tensor2d(w, [inF, outF])).dataSync();
      expectClose(unpackBinaryWeights(packed), expected, 1e-6);
    });
  }
});

describe('packing errors', () => {
  it('rejects a length that does not match the shape and bad dims', () => {
    expect(() => packSigns(new Float32Array(5), 2, 3)).toThrow(BitLinearError);
    expect(() => packSigns(new Float32Array(5), 2, 3)).toThrow(/expected 6 values.*got 5/);
    expect(() => packSigns(new Float32Array(0), 0, 3)).toThrow(/inFeatures must be a positive integer; got 0/);
    expect(() => unpackSigns(new Uint8Array(3), 9, 2)).toThrow(/expected a Uint8Array of 4 bytes.*got 3 bytes/);
  });
});
