import * as tf from '@tensorflow/tfjs-core';
import { bitLinear } from './bit-linear';
import { BitLinearError } from './errors';
import { packBinaryWeights } from './pack-binary';
import { packTernaryWeights } from './pack-ternary';
import { packedMatMul, packedMatVec } from './packed-matmul';
import { seededValues, useCpu } from './test-setup';

beforeAll(useCpu);

/** |a - b| <= tol * max|b|: relative to the output's scale (elements can cancel to ~0). */
function expectRelClose(actual: Float32Array, expected: Float32Array, tol: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  const worst = Math.max(...Array.from(actual, (v, i) => Math.abs(v - expected[i])));
  expect(worst).toBeLessThanOrEqual(tol * scale);
}

const ROWS = 9;
const IN = 37; // not a multiple of 8 or 4
const OUT = 11;
const x = seededValues(ROWS * IN, 41, 3);
const w = seededValues(IN * OUT, 42, 0.05);
const bias = seededValues(OUT, 43, 0.2);
const lnGain = seededValues(IN, 44, 1).map((v) => 1 + v / 2);
const lnBias = seededValues(IN, 45, 0.1);

describe('packedMatMul equals the TF.js bitLinear forward', () => {
  for (const weightBits of [1, 1.58] as const) {
    for (const activationBits of [8, null] as const) {
      for (const scaling of ['per-token', 'per-tensor'] as const) {
        it(`weightBits ${weightBits}, activationBits ${activationBits}, ${scaling}`, () => {
          const packed = weightBits === 1 ? packBinaryWeights(w, IN, OUT) : packTernaryWeights(w, IN, OUT);
          const expected = bitLinear(tf.tensor2d(x, [ROWS, IN]), tf.tensor2d(w, [IN, OUT]), tf.tensor1d(bias), {
            weightBits,
            activationBits,
            activationScaling: scaling,
          }).dataSync() as Float32Array;
          const actual = packedMatMul(x, packed, { activationBits, scaling, bias });
          expect(actual.length).toBe(ROWS * OUT);
          expectRelClose(actual, expected, 1e-5);
        });
      }
    }
  }

  it('with LayerNorm gain and bias, and without LayerNorm', () => {
    const packed = packBinaryWeights(w, IN, OUT);
    const tfOut = (layerNorm: boolean) =>
      bitLinear(tf.tensor2d(x, [ROWS, IN]), tf.tensor2d(w, [IN, OUT]), undefined, {
        weightBits: 1,
        layerNorm,
        lnGain: layerNorm ? tf.tensor1d(lnGain) : undefined,
        lnBias: layerNorm ? tf.tensor1d(lnBias) : undefined,
      }).dataSync() as Float32Array;
    expectRelClose(packedMatMul(x, packed, { lnGain, lnBias }), tfOut(true), 1e-5);
    expectRelClose(packedMatMul(x, packed, { layerNorm: false }), tfOut(false), 1e-5);
  });

  it('packedMatVec equals one row of packedMatMul', () => {
    const packed = packTernaryWeights(w, IN, OUT);
    const all = packedMatMul(x, packed, { bias });
    const row = packedMatVec(x.subarray(IN * 2, IN * 3), packed, { bias });
    expect(Array.from(row)).toEqual(Array.from(all.subarray(OUT * 2, OUT * 3)));
  });

  it('ignores padding bits', () => {
    const packed = packBinaryWeights(w, IN, OUT);
    const dirty = { ...packed, bits: packed.bits.slice() };
    const bpr = Math.ceil(IN / 8);
    for (let o = 0; o < OUT; o++) dirty.bits[o * bpr + bpr - 1] |= 0xe0; // IN % 8 = 5: bits 5..7 are padding
    expect(Array.from(packedMatMul(x, dirty))).toEqual(Array.from(packedMatMul(x, packed)));
  });
});

describe('packedMatMul errors', () => {
  const packed = packBinaryWeights(w, IN, OUT);
  it('rejects x that is not whole rows, bad options and bad bias', () => {
    expect(() => packedMatMul(new Float32Array(IN + 1), packed)).toThrow(BitLinearError);
    expect(() => packedMatMul(new Float32Array(IN + 1), packed)).toThrow(/whole rows of in-features 37.*got 38/);
    expect(() => packedMatMul(x, packed, { activationBits: 4 as 8 })).toThrow('activationBits must be one of 8, null; got 4');
    expect(() => packedMatMul(x, packed, { scaling: 'row' as 'per-token' })).toThrow(/"per-token", "per-tensor"; got "row"/);
    expect(() => packedMatMul(x, packed, { bias: new Float32Array(3) })).toThrow('bias must have length 11; got 3');
    expect(() => packedMatMul(x, { ...packed, bits: new Uint8Array(2) })).toThrow(/packed.bits must be a Uint8Array of 55 bytes/);
    expect(() => packedMatVec(x, packed)).toThrow(/length in-features 37/);
  });
});
