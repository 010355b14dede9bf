import * as tf from '@tensorflow/tfjs-core';
import { binarizeWeights, packSigns, packTernary, ternarizeWeights } from '@ihc/bitlinear';
import { buildOnnxModel, exportOnnx } from './export';
import { encodeModel } from './onnx-proto';
import { packSignKernel, packTernaryKernel, ternaryCodes, unpackKernel } from './packing';
import { maxAbsDiff, ortRun, prng, tinyConfig, tinyModel, useCpu } from './test-helpers';

beforeAll(useCpu);

function gaussianKernel(n: number, seed: number, shift = 0): Float32Array {
  const r = prng(seed);
  return Float32Array.from({ length: n }, () => Math.fround((r() + r() + r() - 1.5) * 0.1 + shift));
}

describe('bit layout (docs/SPEC.md, @ihc/bitlinear)', () => {
  test.each([
    [16, 16],
    [12, 5],
    [10, 3],
    [1, 4],
    [64, 64],
  ])('1-bit and ternary packs equal @ihc/bitlinear packSigns / packTernary for [in %i, out %i]', (inF, outF) => {
    const w = gaussianKernel(inF * outF, inF * 100 + outF, 0.01);
    expect(packSignKernel(w, inF, outF).packed).toEqual(packSigns(w, inF, outF));
    expect(packTernaryKernel(w, inF, outF).packed).toEqual(packTernary(w, inF, outF));
  });

  test('LSB first along the input axis, bit 1 = +1, rows per output', () => {
    // [in 9, out 2]: output 0 has +1 at inputs 0 and 8 only; output 1 is its opposite.
    const inF = 9;
    const w = new Float32Array(inF * 2);
    for (let i = 0; i < inF; i++) {
      w[i * 2] = i === 0 || i === 8 ? 1 : -1;
      w[i * 2 + 1] = -w[i * 2];
    }
    const p = packSignKernel(w, inF, 2);
    expect(p.shape).toEqual([2, 2]);
    expect(Array.from(p.packed)).toEqual([0b00000001, 0b00000001, 0b11111110, 0b00000000]);
  });

  test('ternary codes 00 -> 0, 01 -> +1, 10 -> -1, four per byte LSB first', () => {
    // [in 5, out 1]: codes +1, -1, 0, +1, -1 (beta = mean|W| = 0.8, threshold 0.4).
    const w = Float32Array.from([1, -1, 0, 1, -1]);
    expect(Array.from(ternaryCodes(w))).toEqual([1, -1, 0, 1, -1]);
    const p = packTernaryKernel(w, 5, 1);
    expect(p.shape).toEqual([1, 2]);
    expect(Array.from(p.packed)).toEqual([0b01_00_10_01, 0b00_00_00_10]);
  });

  test('de-quantised kernels equal binarizeWeights / ternarizeWeights of TF.js', () => {
    const [inF, outF] = [24, 7];
    const w = gaussianKernel(inF * outF, 5, -0.02);
    const wt = tf.tensor2d(w, [inF, outF]);
    const bin = binarizeWeights(wt);
    const ter = ternarizeWeights(wt);
    expect(maxAbsDiff(unpackKernel(packSignKernel(w, inF, outF)), bin.dataSync())).toBe(0);
    expect(maxAbsDiff(unpackKernel(packTernaryKernel(w, inF, outF)), ter.dataSync())).toBe(0);
    tf.dispose([wt, bin, ter]);
  });

  test('the graph unpacks exactly what unpackKernel says (packed initializer -> folded fp32 kernel)', async () => {
    for (const precision of ['1bit', '1.58bit'] as const) {
      const config = tinyConfig({ precision, embedSize: 12, numHeads: 3 });
      const model = tinyModel(config, 3);
      const { spec } = buildOnnxModel(model);
      const names = ['layers.0.attn.q.kernel', 'layers.1.attn.o.kernel'];
      const outputs = [
        ...spec.graph.outputs,
        ...names.map((n) => ({ name: `${n}.dequantised`, elemType: 1 as const, shape: [12, 12] })),
      ];
      const out = await ortRun(encodeModel({ ...spec, graph: { ...spec.graph, outputs } }), [[0, 1, 2]]);
      for (const n of names) {
        const w = model.weights[n].data;
        const p = precision === '1bit' ? packSignKernel(w, 12, 12) : packTernaryKernel(w, 12, 12);
        expect(maxAbsDiff(out[`${n}.dequantised`], unpackKernel(p))).toBe(0);
      }
    }
  });
});

describe('sizes', () => {
  test.each([16, 64])('d %i: a packed 1-bit Q/K/V/O matrix is <= 1/25 of its fp32 size; ternary <= 1/15', (d) => {
    for (const precision of ['1bit', '1.58bit', 'frozen-sign'] as const) {
      const config = tinyConfig({ precision, embedSize: d, numHeads: 4 });
      const { kernels } = buildOnnxModel(tinyModel(config, 1));
      expect(kernels).toHaveLength(4 * config.numLayers);
      for (const k of kernels) {
        expect(k.format).toBe(precision === '1.58bit' ? 'ternary-2bit' : 'sign-1bit');
        const ratio = k.bytes / k.fp32Bytes;
        expect(ratio).toBeLessThanOrEqual(precision === '1.58bit' ? 1 / 15 : 1 / 25);
      }
    }
  });

  test('whole file at d 128: 1-bit packed vs the same model with fp32 kernels', () => {
    const config = tinyConfig({ precision: '1bit', embedSize: 128, numHeads: 4, maxSeqLength: 29, vocabSize: 27 });
    const model = tinyModel(config, 1);
    const packed = exportOnnx(model).length;
    const unpacked = exportOnnx(model, { packWeights: false }).length;
    const fp16 = exportOnnx(model, { fp16: true }).length;
    // Q/K/V/O dominate (8 x 128 x 128 fp32 = 512 KiB); embeddings, biases and unembed stay fp32.
    expect(unpacked / packed).toBeGreaterThan(5);
    expect(fp16).toBeLessThan(packed);
  });
});
