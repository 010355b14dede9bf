// ONNX (onnxruntime-node, CPU) equals @ihc/model's TF.js forward within 1e-4 for every
// positional mode x norm mode x precision, both softmaxes, packed and unpacked weights.
//
// 1-bit / ternary: BitLinear rounds x * 127 / gamma to integers. Two correct float32
// implementations can land on different sides of a k + 0.5 boundary when a value is
// within a few ulps of it, and that flips one activation level (a legitimate
// difference, not a bug). The tolerance is NOT loosened for it: the model also
// outputs the values it rounds (exposeQuantizerInputs), and each case uses the first
// seeded input whose values all stay >= MARGIN from a boundary (so no flip is
// possible); the test fails if none of the candidates does.
import { exportOnnx, type ExportOptions } from './export';
import type { ModelConfig } from './config';
import { maxAbsDiff, ortRun, randomIds, roundingMargin, tfForward, tinyConfig, tinyModel, useCpu } from './test-helpers';

const TOL = 1e-4;
const MARGIN = 1e-4;
const CANDIDATE_INPUTS = 20;

beforeAll(useCpu);

interface Case {
  name: string;
  config: Partial<ModelConfig>;
  options?: ExportOptions;
  batch?: number;
  seq?: number;
}

const cases: Case[] = [];
let k = 0;
for (const posEmbed of ['learnable', 'trigonometric', 'none'] as const) {
  for (const norm of ['pre', 'post', 'none'] as const) {
    for (const precision of ['fp', '1bit', '1.58bit'] as const) {
      const softmax = k++ % 2 === 0 ? 'vanilla' : 'off-by-one';
      cases.push({ name: `${posEmbed}/${norm}/${precision}/${softmax}`, config: { posEmbed, norm, precision, softmax } });
    }
  }
}
cases.push(
  { name: 'frozen-sign', config: { precision: 'frozen-sign' } },
  { name: '1bit unpacked (packWeights false)', config: { precision: '1bit' }, options: { packWeights: false } },
  { name: '1.58bit unpacked', config: { precision: '1.58bit', softmax: 'off-by-one' }, options: { packWeights: false } },
  { name: '1bit per-tensor activations', config: { precision: '1bit', activationScaling: 'per-tensor' } },
  { name: '1bit no activation quantisation', config: { precision: '1bit', activationBits: null } },
  { name: '1.58bit no activation quantisation', config: { precision: '1.58bit', activationBits: null, norm: 'post' } },
  // d 12 / 3 heads: 12 inputs pack into 2 bytes (4 padding bits); d 10: ternary rows of 3 bytes with padding.
  { name: '1bit d12 (padding bits)', config: { precision: '1bit', embedSize: 12, numHeads: 3 } },
  { name: '1.58bit d10 (padding codes)', config: { precision: '1.58bit', embedSize: 10, numHeads: 2 } },
  { name: 'fp 3 layers, posInit ones', config: { numLayers: 3, posInit: 'ones' } },
  { name: '1bit full length, batch 3', config: { precision: '1bit', maxSeqLength: 6 }, batch: 3, seq: 6 },
  { name: 'fp single token', config: {}, batch: 2, seq: 1 },
);

const report: string[] = [];
afterAll(() => {
  // eslint-disable-next-line no-console
  console.log(`parity (max |ONNX - TF.js|, tolerance ${TOL}):\n${report.join('\n')}`);
});

test.each(cases)('ONNX equals the TF.js forward: $name', async (c) => {
  const config = tinyConfig(c.config);
  const model = tinyModel(config, 7);
  const quantised = config.precision !== 'fp' && config.activationBits !== null;
  const batch = c.batch ?? 2;
  const seq = c.seq ?? config.maxSeqLength - 1;
  const bytes = exportOnnx(model, { ...c.options, exposeQuantizerInputs: quantised });

  let chosen: { ids: number[][]; out: Record<string, Float32Array>; margin: number } | undefined;
  let skipped = 0;
  for (let s = 0; s < CANDIDATE_INPUTS && !chosen; s++) {
    const ids = randomIds(batch, seq, config.vocabSize, 100 + s);
    const out = await ortRun(bytes, ids);
    const quantInputs = Object.entries(out).filter(([n]) => n.startsWith('quant_input_')).map(([, v]) => v);
    if (quantised) expect(quantInputs).toHaveLength(2 * config.numLayers);
    const margin = quantised ? roundingMargin(quantInputs) : Infinity;
    if (margin >= MARGIN) chosen = { ids, out, margin };
    else skipped++;
  }
  if (!chosen) throw new Error(`no candidate input keeps every quantiser input ${MARGIN} away from a rounding boundary`);

  const ref = tfForward(model, chosen.ids);
  const logitDiff = maxAbsDiff(chosen.out.logits, ref.logits);
  let attnDiff = 0;
  for (let i = 0; i < config.numLayers; i++) attnDiff = Math.max(attnDiff, maxAbsDiff(chosen.out[`attention_${i}`], ref.attention[i]));
  if (quantised) {
    // The export without the extra outputs computes the same numbers.
    const plain = await ortRun(exportOnnx(model, c.options), chosen.ids);
    expect(Object.keys(plain).sort()).toEqual(['logits', ...ref.attention.map((_, i) => `attention_${i}`)].sort());
    expect(maxAbsDiff(plain.logits, chosen.out.logits)).toBeLessThanOrEqual(1e-6);
  }
  const scale = ref.logits.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  report.push(
    `  ${c.name}: logits ${logitDiff.toExponential(1)} (max |logit| ${scale.toFixed(2)}), attention ${attnDiff.toExponential(1)}` +
      (quantised ? `, rounding margin ${chosen.margin.toExponential(1)}, inputs skipped ${skipped}` : ''),
  );
  expect(chosen.out.logits).toHaveLength(batch * seq * config.vocabSize);
  expect(scale).toBeGreaterThan(0.1); // the comparison is not trivially small
  expect(logitDiff).toBeLessThanOrEqual(TOL);
  expect(attnDiff).toBeLessThanOrEqual(TOL);
});
