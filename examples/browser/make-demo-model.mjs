#!/usr/bin/env node
// Writes examples/browser/model.onnx for the demo page. Sources, in order:
//   --checkpoint <dir>      a checkpoint directory (runs/<sweep>/<run>/checkpoint)
//   (default)               the best complete run under runs/ (1-bit preferred, highest
//                           eval copy accuracy from scores.json)
//   --train [steps]         trains a small 1-bit model now with @ihc/model (default 300
//                           steps, about a minute on 2 CPU cores); also the fallback
//                           when runs/ has no complete run
//   --random                random initial weights, clearly labelled as untrained
// Options: --out <file> (default examples/browser/model.onnx), --precision <p> and
// --seed <n> for --train / --random, --if-missing (do nothing when the file exists).
// Needs built packages (npm run build): @ihc/onnx, and @ihc/model for checkpoints/training.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : fallback;
};

const out = resolve(value('out', join(here, 'model.onnx')));
if (flag('if-missing') && existsSync(out)) {
  console.log(`${out} exists; leaving it (drop --if-missing to rebuild)`);
  process.exit(0);
}
const { exportOnnx, writeFileAtomic } = await import('@ihc/onnx/node');
const VOCAB = [...'abcdefghijklmnopqrstuvwxyz', '&'];

/** Complete runs (scores.json present) with a checkpoint, best first. */
function findRuns(root) {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!statSync(p).isDirectory()) continue;
      if (existsSync(join(p, 'scores.json')) && existsSync(join(p, 'checkpoint', 'checkpoint.json'))) {
        try {
          const s = JSON.parse(readFileSync(join(p, 'scores.json'), 'utf8'));
          found.push({ dir: p, precision: s.config?.precision, accuracy: s.splits?.eval?.copyAccuracy ?? 0, config: s.config });
        } catch {
          /* unreadable scores: skip */
        }
      } else walk(p, depth + 1);
    }
  };
  walk(root, 0);
  const rank = (r) => (r.precision === '1bit' ? 1 : 0) * 10 + r.accuracy;
  return found.sort((a, b) => rank(b) - rank(a));
}

async function loadModelPeer() {
  try {
    return await import('@ihc/model');
  } catch (e) {
    throw new Error(`this needs the built @ihc/model (npm run build): ${e.message}`);
  }
}

async function fromCheckpoint(dir, label) {
  const { loadCheckpoint } = await loadModelPeer();
  const ckpt = await loadCheckpoint(dir);
  return { config: ckpt.config, weights: ckpt.weights, label, source: dir };
}

async function trained(steps, precision, seed) {
  const m = await loadModelPeer();
  if (typeof m.train !== 'function') throw new Error('the installed @ihc/model has no train()');
  if (typeof m.selectBackend === 'function') {
    const sel = await m.selectBackend({ backend: process.env.IHC_BACKEND ? undefined : 'auto' });
    console.log(`TF.js backend: ${sel.name}`);
  }
  const modelConfig = { embedSize: 64, numHeads: 4, precision };
  console.log(`training ${precision} d 64 for ${steps} steps...`);
  const result = await m.train({
    modelConfig,
    trainConfig: { steps, seed, batchSize: 64, loss: 'target', evalEvery: 0 },
    callbacks: { onStep: (s) => s.step % 50 === 0 && console.log(`  step ${s.step} loss ${s.loss.toFixed(3)} acc ${s.copyAccuracy.toFixed(2)}`) },
  });
  const acc = result.lastEval.eval?.copyAccuracy;
  const weights = m.paramsToRecord(result.params);
  m.disposeParams(result.params);
  const label = `trained here for ${steps} steps (${precision}, d 64, 4 heads), eval copy accuracy ${acc === undefined ? '?' : acc.toFixed(3)}`;
  return { config: result.modelConfig, weights, label, source: 'make-demo-model --train' };
}

async function random(precision, seed) {
  const m = await loadModelPeer();
  const config = m.resolveModelConfig({ embedSize: 64, numHeads: 4, precision });
  return {
    config,
    weights: m.initParamRecord(config, seed),
    label: `RANDOM WEIGHTS (untrained ${precision} model, seed ${seed}): predictions and attention are meaningless`,
    source: 'make-demo-model --random',
  };
}

const precision = value('precision', '1bit');
const seed = Number(value('seed', '0'));
let model;
if (value('checkpoint')) {
  model = await fromCheckpoint(resolve(value('checkpoint')), `checkpoint ${value('checkpoint')}`);
} else if (flag('train')) {
  model = await trained(Number(value('train', '300')), precision, seed);
} else if (flag('random')) {
  model = await random(precision, seed);
} else {
  const runs = findRuns(join(repo, 'runs'));
  if (runs.length > 0) {
    const best = runs[0];
    model = await fromCheckpoint(
      join(best.dir, 'checkpoint'),
      `trained run ${best.dir.slice(repo.length + 1)} (${best.precision}, eval copy accuracy ${Number(best.accuracy).toFixed(3)})`,
    );
  } else {
    console.warn('no complete runs with checkpoints under runs/; training a small model now (--random skips training)');
    model = await trained(300, precision, seed);
  }
}

const bytes = exportOnnx(
  { config: model.config, weights: model.weights },
  { metadata: { 'ihc.vocabulary': JSON.stringify(VOCAB.slice(0, model.config.vocabSize)), 'ihc.demo.label': model.label, 'ihc.demo.source': model.source } },
);
await writeFileAtomic(out, bytes);
console.log(`wrote ${out} (${bytes.length} bytes): ${model.label}`);
