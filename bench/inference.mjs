#!/usr/bin/env node
// Inference latency of exported models: onnxruntime-node CPU (fp32 model, 1-bit with
// fp32 kernels, 1-bit bit-packed), onnxruntime-web's wasm build in Node, and the TF.js
// forward of @ihc/model, at batch 1 and 64 (d 256, 4 heads, 2 layers, T 29).
// `run({ quick })` returns rows { name, value, unit, ratio, note }; ratio = value / the
// same measurement for the fp32 model on onnxruntime-node CPU (same batch), taken in
// the same run. Run directly to print a table. Needs built packages (npm run build).
// Latency: median of timed runs after warm-up. --quick (or IHC_BENCH_SECONDS) shortens it.
import { fileURLToPath } from 'node:url';
import { createPrng } from '@ihc/copy-task';

const D = Number(process.env.IHC_BENCH_D ?? 256);
const HEADS = 4;
const T = 29;
const BATCHES = [1, 64];
let MIN_SECONDS = Number(process.env.IHC_BENCH_SECONDS ?? 1);

/** Seeded uniform [0, 1) source (the project's PRNG), so the inputs are the same on every run. */
function seededRandom(seed) {
  const prng = createPrng(seed);
  return () => prng.next();
}

function config(precision) {
  return {
    vocabSize: 27, maxSeqLength: T, embedSize: D, numHeads: HEADS, numLayers: 2,
    posEmbed: 'learnable', posInit: 'normal', norm: 'pre', softmax: 'vanilla', precision,
    activationBits: 8, activationScaling: 'per-token', initStd: 0.02,
  };
}

function randomWeights(cfg, expectedShapes, seed = 0) {
  const rand = seededRandom(seed);
  const weights = {};
  for (const [name, shape] of Object.entries(expectedShapes(cfg))) {
    const n = shape.reduce((a, b) => a * b, 1);
    weights[name] = { shape, data: Float32Array.from({ length: n }, () => (rand() - 0.5) * 0.07) };
  }
  return weights;
}

function ids(batch) {
  const rand = seededRandom(batch);
  return Array.from({ length: batch }, () => Array.from({ length: T }, () => Math.floor(rand() * 27)));
}

/** Median milliseconds of fn() after 5 warm-up runs, over >= MIN_SECONDS and >= 7 runs. */
async function time(fn) {
  for (let i = 0; i < 5; i++) await fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < 7 || performance.now() - start < MIN_SECONDS * 1000) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (samples.length >= 1000) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

export async function run(options = {}) {
  if (options.quick && !process.env.IHC_BENCH_SECONDS) MIN_SECONDS = 0.25;
  const rows = [];
  const skip = (name, why) => rows.push({ name, value: NaN, unit: 'ms', note: `skipped: ${why}` });
  const onnx = await import('@ihc/onnx/node');
  const models = {
    'fp (fp32)': onnx.exportOnnx({ config: config('fp'), weights: randomWeights(config('fp'), onnx.expectedShapes) }),
    '1bit, fp32 kernels': onnx.exportOnnx({ config: config('1bit'), weights: randomWeights(config('1bit'), onnx.expectedShapes) }, { packWeights: false }),
    '1bit, packed': onnx.exportOnnx({ config: config('1bit'), weights: randomWeights(config('1bit'), onnx.expectedShapes) }),
  };
  for (const [name, bytes] of Object.entries(models)) {
    rows.push({ name: `file size: ${name}`, value: bytes.length / 1024, unit: 'KiB', note: `d ${D}` });
  }

  // onnxruntime-node, CPU
  for (const [name, bytes] of Object.entries(models)) {
    const t0 = performance.now();
    const session = await onnx.createNodeSession(bytes, { provider: 'cpu' });
    rows.push({ name: `ort-node cpu session create: ${name}`, value: performance.now() - t0, unit: 'ms', note: name.includes('packed') ? 'includes constant folding of the packed weights' : '' });
    for (const b of BATCHES) {
      const input = ids(b);
      rows.push({ name: `ort-node cpu ${name}, batch ${b}`, value: await time(() => session.run(input)), unit: 'ms', note: `T ${T}, d ${D}` });
    }
    await session.release();
  }

  // onnxruntime-web's wasm build, in Node
  try {
    const ortw = await import('onnxruntime-web');
    for (const name of Object.keys(models)) {
      const session = await ortw.InferenceSession.create(models[name], { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      for (const b of BATCHES) {
        const flat = BigInt64Array.from(ids(b).flat().map((v) => BigInt(v)));
        const feed = () => session.run({ input_ids: new ortw.Tensor('int64', flat, [b, T]) });
        rows.push({ name: `ort-web wasm (in Node) ${name}, batch ${b}`, value: await time(feed), unit: 'ms', note: `threads ${ortw.env.wasm.numThreads ?? 'default'}` });
      }
      await session.release();
    }
  } catch (e) {
    skip('ort-web wasm (in Node)', e.message);
  }

  // TF.js forward of @ihc/model
  try {
    const m = await import('@ihc/model');
    const tf = await import('@tensorflow/tfjs-core');
    let backend = 'cpu';
    if (typeof m.selectBackend === 'function') {
      const want = process.env.IHC_BENCH_TF_BACKEND ?? 'wasm';
      const sel = await m.selectBackend({ backend: want }).catch(() => m.selectBackend({ backend: 'cpu' }));
      backend = sel?.name ?? tf.getBackend();
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
      await tf.setBackend('cpu');
    }
    for (const precision of ['fp', '1bit']) {
      const cfg = m.resolveModelConfig(config(precision));
      const params = m.paramsFromRecord(randomWeights(cfg, onnx.expectedShapes), cfg);
      for (const b of BATCHES) {
        const input = ids(b);
        const value = await time(async () => {
          const out = m.forward(params, cfg, input);
          await out.logits.data();
          tf.dispose([out.logits, ...out.attention]);
        });
        rows.push({ name: `tfjs forward ${precision}, batch ${b}`, value, unit: 'ms', note: `backend ${backend}` });
      }
      m.disposeParams(params);
    }
  } catch (e) {
    skip('tfjs forward', `@ihc/model unavailable (${e.message})`);
  }
  // Ratios against the fp32 model on onnxruntime-node CPU at the same batch (and file size).
  const base = (r) => {
    if (r.name.startsWith('file size')) return rows.find((x) => x.name === 'file size: fp (fp32)');
    const batch = / batch (\d+)$/.exec(r.name)?.[1];
    return batch ? rows.find((x) => x.name === `ort-node cpu fp (fp32), batch ${batch}`) : undefined;
  };
  for (const r of rows) {
    const b = base(r);
    if (b && Number.isFinite(r.value) && b.value > 0) r.ratio = r.value / b.value;
  }
  return rows;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'benchmark'.padEnd(w)}  ${'value'.padStart(10)}  unit  ${'ratio'.padStart(7)}  note`);
  for (const r of rows) {
    const v = Number.isNaN(r.value) ? '-' : r.value.toFixed(r.value < 10 ? 3 : 1);
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`;
    console.log(`${r.name.padEnd(w)}  ${v.padStart(10)}  ${r.unit.padEnd(4)}  ${ratio.padStart(7)}  ${r.note}`);
  }
}
