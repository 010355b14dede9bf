#!/usr/bin/env node
// Training speed: optimizer steps per second of the @ihc/model transformer (batch 128,
// 4 heads, T 29, V 27, 2 layers, learnable positions, pre-norm) at embed 64 / 256 / 1024,
// FP and 1-bit, per TF.js backend, against PyTorch (tools/torch_train_bench.py) on the
// same CPU in the same run. `ratio` = ours / PyTorch steps/s for the same configuration,
// against the faster of PyTorch on all cores and on 1 thread (both are reported: on a
// shared 2-core machine PyTorch's 2 OpenMP threads are often slower than one).
//
//   node bench/train.mjs [--quick] [--embeds 64,256] [--precisions fp,1bit]
//                        [--backends native,native-1t,wasm,cpu,webgpu] [--seconds 4] [--no-torch]
//                        [--json out.json]
//   node bench/run.mjs --only train [--quick]      (the bench framework)
//   node bench/train.mjs --profile [--embeds 256] [--precisions fp,1bit] [--backends wasm|native|native-1t]
//                        [--runs 5]                 (per-kernel times of one step)
//
// Method (docs/PERFORMANCE.md):
// - Every configuration runs in its own child process (`node bench/train.mjs --child
//   <json>`, and `tools/torch_train_bench.py --child <json>` for PyTorch), one at a time,
//   so peak RSS (and the wasm heap, which never shrinks) belong to that configuration.
//   For each configuration PyTorch runs first (all cores, then 1 thread) and our backends
//   right after it, so a ratio compares measurements taken seconds apart.
// - A step is what the trainer does per batch: `train()` of @ihc/model is run with an
//   `onStep` callback and the time between consecutive callbacks is one step (batch
//   tensors, forward, loss, gradients, AdamW update, reading the loss and predictions).
//   When the built package does not export `train`, the step is composed here from its
//   exports (forward + crossEntropyLoss under variableGrads, AdamW step, loss read back).
// - Warm-up: at least 2 steps and 1 s (1 step when a step takes > 2 s), then samples of
//   k consecutive steps (k such that a sample takes ~0.5 s) until there are at least 5
//   samples (3 when a step takes > 2 s) and `--seconds` have passed (at most 30);
//   steps/s is the median over samples; min and max show the noise.
// - `cpu/wall`: process CPU time / wall time over the samples. Our wasm backend runs one
//   thread, so < 1.0 means the process waited for a core (other load on the machine).
//   `steps per CPU-s` (steps / process CPU seconds) is insensitive to that waiting; for a
//   single-threaded run (wasm, cpu, PyTorch on 1 thread) it estimates the speed on an
//   idle core. For multi-threaded PyTorch it counts every thread (spin-waits included).
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const TORCH_PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = join(root, 'tools', 'torch_train_bench.py');
const BATCH = 128;
const HEADS = 4;
const SEQ = 29;
const VOCAB = 27;
const CHILD_TIMEOUT_MS = 420_000;
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// ---------------------------------------------------------------------------------
// Child: one configuration on one backend.
// ---------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Drives the warm-up / sampling schedule from per-step timestamps; `done()` says stop. */
function makeSampler(seconds) {
  const t0 = performance.now();
  let warm = 0;
  let warmDone = false;
  let k = 1;
  let minSamples = 5;
  let inSample = 0;
  let sampleStart = 0;
  let sampleCpu = null;
  let samplingStart = 0;
  const samples = [];
  let cpuSum = 0;
  let wallSum = 0;
  let stepSec = NaN;
  return {
    samples,
    get warm() {
      return warm;
    },
    get k() {
      return k;
    },
    stepSeconds: () => stepSec,
    cpuPerWall: () => (wallSum > 0 ? cpuSum / wallSum : NaN),
    /** Steps per CPU-second of this process over the samples (robust to time-slicing by other load). */
    cpuStepsPerSec: () => (cpuSum > 0 ? (samples.length * k) / cpuSum : NaN),
    /** Call after every completed step; returns true when measuring is finished. */
    tick() {
      const now = performance.now();
      if (!warmDone) {
        warm += 1;
        const elapsed = (now - t0) / 1000;
        stepSec = elapsed / warm;
        const minWarm = stepSec > 2 ? 1 : 2;
        if (warm >= minWarm && (elapsed >= 1 || stepSec > 2)) {
          warmDone = true;
          minSamples = stepSec > 2 ? 3 : 5;
          k = Math.max(1, Math.round(0.5 / stepSec));
          samplingStart = now;
          sampleStart = now;
          sampleCpu = process.cpuUsage();
          inSample = 0;
        }
        return false;
      }
      inSample += 1;
      if (inSample === k) {
        const wall = (now - sampleStart) / 1000;
        const cpu = process.cpuUsage(sampleCpu);
        cpuSum += (cpu.user + cpu.system) / 1e6;
        wallSum += wall;
        samples.push(k / wall);
        inSample = 0;
        sampleStart = now;
        sampleCpu = process.cpuUsage();
        const elapsed = (now - samplingStart) / 1000;
        if (samples.length >= 30 || (samples.length >= minSamples && elapsed >= seconds)) return true;
      }
      return false;
    },
  };
}

function makeBatches(count) {
  // Seeded random token ids (speed does not depend on the values).
  let s = 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const out = [];
  for (let n = 0; n < count; n++) {
    const x = new Int32Array(BATCH * SEQ);
    const y = new Int32Array(BATCH * SEQ);
    for (let b = 0; b < BATCH; b++) {
      let prev = next() % VOCAB;
      for (let t = 0; t < SEQ; t++) {
        const cur = next() % VOCAB;
        x[b * SEQ + t] = prev;
        y[b * SEQ + t] = cur;
        prev = cur;
      }
    }
    out.push({ x, y });
  }
  return out;
}

async function childMain(spec) {
  const tf = await import('@tensorflow/tfjs-core');
  const model = await import('@ihc/model');
  const result = { backend: spec.backend, embed: spec.embed, precision: spec.precision };
  if (!tf.getGradient('RealDiv')) {
    throw new Error(
      'the built @ihc/model registered no TF.js gradients (its dist lacks register_all_gradients); no backward pass can run',
    );
  }
  if (typeof model.selectBackend !== 'function') throw new Error('@ihc/model exports no selectBackend');
  if (spec.icd) process.env.VK_ICD_FILENAMES = spec.icd;
  // native: the whole step in C (@ihc/native); TF.js (wasm) only holds the parameters
  let engine;
  const selected = await model.selectBackend({ backend: spec.backend === 'native' ? 'wasm' : spec.backend });
  result.backendDetail = selected.detail;
  if (spec.backend === 'native') {
    const native = await import('@ihc/native');
    engine = native.nativeEngine(spec.threads ? { threads: spec.threads } : {});
    result.backendDetail = `${native.nativeStatus().blas}; OpenBLAS threads ${spec.threads ?? native.defaultThreads(spec.embed)}`;
  }
  if (spec.probe) {
    // check that the backend computes and reads back (train() reads asynchronously)
    try {
      const probe = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])); // big enough to run on the device
      await probe.data();
      probe.dispose();
    } catch (err) {
      throw new Error(`${spec.backend} starts (${selected.detail}) but cannot compute: ${String(err?.message ?? err).split('\n')[0]}`);
    }
    return result;
  }

  const modelConfig = { embedSize: spec.embed, numHeads: HEADS, precision: spec.precision };
  const sampler = makeSampler(spec.seconds);
  const mode = typeof model.train === 'function' && (!spec.composedStep || engine) ? 'train()' : 'composed step';
  result.method = mode;
  if (mode === 'train()') {
    const controller = new AbortController();
    const res = await model.train({
      engine,
      modelConfig,
      trainConfig: { steps: 1_000_000, evalEvery: 0, batchSize: BATCH, seed: 0 },
      signal: controller.signal,
      callbacks: {
        onStep: (m) => {
          result.loss = m.loss;
          if (sampler.tick()) controller.abort();
        },
      },
    });
    result.steps = res.step;
    model.disposeParams?.(res.params);
  } else {
    const { createAdamW, crossEntropyLoss, createModel } = model;
    if (typeof createAdamW !== 'function' || typeof crossEntropyLoss !== 'function') {
      throw new Error('@ihc/model exports neither train nor createAdamW + crossEntropyLoss');
    }
    const m = createModel(modelConfig, 0);
    const opt = createAdamW(m.params, { lr: 1e-3, betas: [0.9, 0.98], eps: 1e-8, weightDecay: 0.01 });
    const vars = opt.names.map((n) => m.params[n]);
    const byVar = new Map(opt.names.map((n) => [m.params[n].name, n]));
    const batches = makeBatches(4);
    let i = 0;
    for (;;) {
      const { x: xa, y: ya } = batches[i++ % batches.length];
      const x = tf.tensor2d(xa, [BATCH, SEQ], 'int32');
      const y = tf.tensor2d(ya, [BATCH, SEQ], 'int32');
      const { value, grads } = tf.variableGrads(
        () => crossEntropyLoss(m.forward(x).logits, y, { mode: 'all' }),
        vars,
      );
      const named = {};
      for (const [k, g] of Object.entries(grads)) named[byVar.get(k) ?? k] = g;
      result.loss = (await value.data())[0];
      opt.step(named);
      for (const g of Object.values(grads)) g.dispose();
      value.dispose();
      x.dispose();
      y.dispose();
      if (sampler.tick()) break;
    }
    result.steps = i;
    opt.dispose();
    m.dispose();
  }
  result.stepsPerSec = median(sampler.samples);
  result.min = Math.min(...sampler.samples);
  result.max = Math.max(...sampler.samples);
  result.samples = sampler.samples.length;
  result.stepsPerSample = sampler.k;
  result.warmupSteps = sampler.warm;
  result.cpuPerWall = sampler.cpuPerWall();
  result.cpuStepsPerSec = sampler.cpuStepsPerSec();
  result.peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const backend = tf.backend();
  const heap = backend?.wasm?.HEAPU8?.buffer?.byteLength;
  if (typeof heap === 'number') result.wasmHeapMiB = heap / 2 ** 20;
  result.numTensors = tf.memory().numTensors;
  return result;
}

// ---------------------------------------------------------------------------------
// Profile of the native step: time per phase (`--profile --backends native`).
// ---------------------------------------------------------------------------------

/**
 * `runs` steps of `train()` on the native engine after 2 warm-up steps, with the addon's
 * per-phase timers on (`setProfiling`); prints milliseconds per step by phase. The phases
 * cover `computeGradients` (forward, loss, backward); AdamW is timed separately here.
 */
async function profileNative({ backend, embed, precision, runs }) {
  const model = await import('@ihc/model');
  const native = await import('@ihc/native');
  const addon = native.loadNativeAddon();
  await model.selectBackend({ backend: 'wasm' });
  const threads = backend === 'native-1t' ? 1 : undefined;
  const factory = native.nativeEngine(threads ? { threads } : {});
  let adamwMs = 0;
  let stepStart = 0;
  const lastStepMs = [];
  const engine = (init) => {
    const e = factory(init);
    return {
      name: e.name,
      computeGradients: (b) => e.computeGradients(b),
      params: () => e.params(),
      optimizerState: () => e.optimizerState(),
      dispose: () => e.dispose(),
      applyUpdate: (lr) => {
        const t0 = performance.now();
        e.applyUpdate(lr);
        adamwMs += performance.now() - t0;
      },
    };
  };
  await model.train({
    engine,
    modelConfig: { embedSize: embed, numHeads: HEADS, precision },
    trainConfig: { steps: runs + 2, evalEvery: 0, batchSize: BATCH, seed: 0 },
    evalSplits: [],
    callbacks: {
      onStep: (m) => {
        const now = performance.now();
        if (m.step === 2) {
          addon.profile(); // reset
          addon.setProfiling(true);
          adamwMs = 0;
        } else if (m.step > 2) lastStepMs.push(now - stepStart);
        stepStart = now;
      },
    },
  });
  addon.setProfiling(false);
  const p = addon.profile();
  const rows = ['matmul', 'attention', 'layerNorm', 'quantise', 'loss', 'other'].map((k) => [k, p[k]]);
  rows.push(['AdamW', adamwMs / p.steps]);
  const total = p.step + adamwMs / p.steps;
  const lines = [`### ${backend} d=${embed} ${precision} (threads ${threads ?? native.defaultThreads(embed)})`, ''];
  lines.push(`${p.steps} profiled steps; train() step median ${median(lastStepMs).toFixed(1)} ms wall, of which forward + loss + backward ${p.step.toFixed(1)} ms and AdamW ${(adamwMs / p.steps).toFixed(1)} ms.`);
  lines.push('', '| phase | ms per step | share |', '|---|---|---|');
  for (const [k, ms] of rows) lines.push(`| ${k} | ${ms.toFixed(2)} | ${((100 * ms) / total).toFixed(1)} % |`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------
// Profile: per-kernel times of one training step (`--profile`).
// ---------------------------------------------------------------------------------

/**
 * `tf.profile` around one step (forward + loss + variableGrads + AdamW + reading the
 * loss) after 2 warm-up steps, `runs` times; per-kernel minimum over the runs (every
 * step runs the same kernel sequence), `unnamed scope` (tf.customGrad wrappers, which
 * contain the kernels listed) excluded. Also records BatchMatMul's transpose flags.
 */
async function profileStep({ backend, embed, precision, runs, top }) {
  const tf = await import('@tensorflow/tfjs-core');
  const model = await import('@ihc/model');
  const selected = await model.selectBackend({ backend });
  const m = model.createModel({ embedSize: embed, numHeads: HEADS, precision }, 0);
  const opt = model.createAdamW(m.params, { lr: 1e-3, betas: [0.9, 0.98], eps: 1e-8, weightDecay: 0.01 });
  const vars = opt.names.map((n) => m.params[n]);
  const byVar = new Map(opt.names.map((n) => [m.params[n].name, n]));
  const { x: xa, y: ya } = makeBatches(1)[0];
  const x = tf.tensor2d(xa, [BATCH, SEQ], 'int32');
  const y = tf.tensor2d(ya, [BATCH, SEQ], 'int32');
  const step = () => {
    const { value, grads } = tf.variableGrads(() => model.crossEntropyLoss(m.forward(x).logits, y, { mode: 'all' }), vars);
    const named = {};
    for (const [k, g] of Object.entries(grads)) named[byVar.get(k) ?? k] = g;
    value.dataSync();
    opt.step(named);
    for (const g of Object.values(grads)) g.dispose();
    value.dispose();
  };
  const flags = new Map();
  const kernel = tf.getKernel('BatchMatMul', tf.getBackend());
  const original = kernel?.kernelFunc;
  if (kernel) {
    kernel.kernelFunc = (args) => {
      const key = `transposeA=${Boolean(args.attrs.transposeA)} transposeB=${Boolean(args.attrs.transposeB)}`;
      flags.set(key, (flags.get(key) ?? 0) + 1);
      return original(args);
    };
  }
  step();
  step();
  flags.clear();
  const all = [];
  let wall = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const info = await tf.profile(() => {
      step();
    });
    wall = Math.min(wall, performance.now() - t0);
    all.push(info.kernels.filter((k) => k.name !== 'unnamed scope'));
  }
  if (kernel) kernel.kernelFunc = original;
  const kernels = all[0].map((k, i) => ({
    name: k.name,
    shapes: JSON.stringify(k.inputShapes),
    ms: Math.min(...all.map((ks) => ks[i]?.kernelTimeMs ?? Infinity)),
    rank: k.inputShapes[0]?.length ?? 0,
  }));
  const total = kernels.reduce((s, k) => s + k.ms, 0);
  const group = (keyOf) => {
    const map = new Map();
    for (const k of kernels) {
      const key = keyOf(k);
      const e = map.get(key) ?? { calls: 0, ms: 0 };
      e.calls += 1;
      e.ms += k.ms;
      map.set(key, e);
    }
    return [...map.entries()].sort((a, b) => b[1].ms - a[1].ms);
  };
  const category = (k) =>
    k.name === 'BatchMatMul' ? (k.rank === 4 ? 'BatchMatMul batched (attention)' : 'BatchMatMul 2D (projections, embed, unembed)') : k.name;
  const lines = [];
  const pct = (ms) => `${((100 * ms) / total).toFixed(1)} %`;
  lines.push(`### ${selected.name} d=${embed} ${precision}`);
  lines.push('');
  lines.push(
    `${kernels.length} kernels, ${total.toFixed(0)} ms of kernel time (per-kernel minimum of ${runs} profiled steps); fastest profiled step ${wall.toFixed(0)} ms wall. BatchMatMul calls per step by transpose flags: ${[...flags.entries()].map(([k, n]) => `${k}: ${n / runs}`).join(', ') || 'none'}.`,
  );
  lines.push('');
  lines.push('| category | calls | ms | share |', '|---|---|---|---|');
  for (const [key, e] of group(category).slice(0, top)) lines.push(`| ${key} | ${e.calls} | ${e.ms.toFixed(1)} | ${pct(e.ms)} |`);
  lines.push('');
  lines.push('| kernel (input shapes) | calls | ms | share |', '|---|---|---|---|');
  for (const [key, e] of group((k) => `${k.name} ${k.shapes}`).slice(0, top)) lines.push(`| ${key} | ${e.calls} | ${e.ms.toFixed(1)} | ${pct(e.ms)} |`);
  lines.push('');
  opt.dispose();
  m.dispose();
  x.dispose();
  y.dispose();
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------
// Parent: run children, PyTorch, and build rows.
// ---------------------------------------------------------------------------------

function lastJsonLine(text) {
  const lines = String(text ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'));
  if (lines.length === 0) return null;
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return null;
  }
}

function errorTail(proc) {
  if (proc.error) return String(proc.error.message ?? proc.error);
  if (proc.signal) return `killed by ${proc.signal}${proc.signal === 'SIGTERM' ? ' (timeout)' : ''}`;
  const lines = String(proc.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const msg = lines.find((l) => /^(\w*Error|error:)/.test(l)) ?? lines[lines.length - 1] ?? `exit ${proc.status}`;
  return msg.slice(0, 300);
}

function runNodeChild(spec, timeoutMs = CHILD_TIMEOUT_MS) {
  const proc = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify(spec)], {
    cwd: root,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 2 ** 20,
  });
  const out = lastJsonLine(proc.stdout);
  if (proc.status === 0 && out && !out.error) return out;
  return { error: out?.error ?? errorTail(proc) };
}

function torchVersion() {
  if (!existsSync(TORCH_PYTHON)) return { error: `${TORCH_PYTHON} not found` };
  const proc = spawnSync(TORCH_PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (proc.status !== 0) return { error: `torch is not importable by ${TORCH_PYTHON}: ${errorTail(proc)}` };
  return { version: proc.stdout.trim() };
}

function runTorchChild(spec) {
  const proc = spawnSync(TORCH_PYTHON, [TORCH_SCRIPT, '--child', JSON.stringify(spec)], {
    cwd: root,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 * 2 ** 20,
  });
  const out = lastJsonLine(proc.stdout);
  if (proc.status === 0 && out) return out;
  return { error: errorTail(proc) };
}

/** Why @ihc/native cannot run here (not built, no OpenBLAS), or null when it can. */
function nativeUnavailable() {
  const proc = spawnSync(process.execPath, ['--input-type=module', '-e', "const n = await import('@ihc/native'); console.log(JSON.stringify(n.nativeStatus()))"], { cwd: root, encoding: 'utf8' });
  if (proc.status !== 0) return `@ihc/native did not load: ${(proc.stderr || '').trim().split('\n').pop()}`;
  const status = JSON.parse(proc.stdout.trim().split('\n').pop());
  return status.available ? null : status.reason;
}

function isInstalled(pkg) {
  return existsSync(join(root, 'node_modules', ...pkg.split('/'), 'package.json'));
}

function fmt(v, digits = 3) {
  return Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : 'n/a';
}

function noteOf(r) {
  const parts = [`median of ${r.samples} x ${r.stepsPerSample} step(s), range ${fmt(r.min)}-${fmt(r.max)}`];
  if (Number.isFinite(r.peakRssMiB)) parts.push(`peak RSS ${Math.round(r.peakRssMiB)} MiB`);
  if (Number.isFinite(r.wasmHeapMiB)) parts.push(`wasm heap ${Math.round(r.wasmHeapMiB)} MiB`);
  if (Number.isFinite(r.cpuPerWall)) parts.push(`cpu/wall ${r.cpuPerWall.toFixed(2)}`);
  if (Number.isFinite(r.cpuStepsPerSec)) parts.push(`${fmt(r.cpuStepsPerSec)} steps per CPU-s`);
  if (r.method) parts.push(r.method);
  return parts.join('; ');
}

function parseList(args, flag, fallback) {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1].split(',').filter(Boolean) : fallback;
}

/** Which backends to measure and at which sizes; with a note for each one skipped. */
function planBackends(wanted, log) {
  const plan = [];
  const skipped = [];
  for (const b of wanted) {
    if (b === 'wasm') plan.push({ backend: 'wasm', label: 'wasm', embeds: null });
    else if (b === 'native' || b === 'native-1t') {
      const why = nativeUnavailable();
      if (why) skipped.push({ label: b, why });
      // native: its default threads (every core from d 128, else 1); native-1t: one thread, the per-core comparison
      else plan.push({ backend: 'native', label: b, threads: b === 'native-1t' ? 1 : undefined, embeds: null });
    }
    else if (b === 'cpu') plan.push({ backend: 'cpu', label: 'cpu', embeds: [64] });
    else if (b === 'tfjs-node') {
      if (isInstalled('@tensorflow/tfjs-node')) plan.push({ backend: 'tfjs-node', label: 'tfjs-node', embeds: null });
      else skipped.push({ label: 'tfjs-node', why: '@tensorflow/tfjs-node is not installed' });
    } else if (b === 'webgpu') {
      log('bench train: probing webgpu...');
      let probe = runNodeChild({ backend: 'webgpu', probe: true }, 120_000);
      let icd;
      if (probe.error && existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES) {
        const hw = probe.error;
        icd = SWIFTSHADER_ICD;
        probe = runNodeChild({ backend: 'webgpu', probe: true, icd }, 120_000);
        if (probe.error) probe.error = `${hw}; with SwiftShader: ${probe.error}`;
      }
      if (probe.error) skipped.push({ label: 'webgpu', why: probe.error });
      else {
        const label = icd ? 'webgpu-swiftshader' : 'webgpu';
        // A software (SwiftShader) adapter is a CPU emulation: measure the smallest size only.
        plan.push({ backend: 'webgpu', label, icd, embeds: icd ? [64] : null, detail: probe.backendDetail });
      }
    } else skipped.push({ label: b, why: `unknown backend ${b}` });
  }
  return { plan, skipped };
}

/**
 * The bench-framework entry point (bench/run.mjs). Options beyond `quick` are for the
 * command line: embeds, precisions, backends, seconds, torch (false: skip PyTorch).
 */
export async function run({ quick = false, embeds, precisions, backends, seconds = 4, torch = true, log } = {}) {
  const say = log ?? ((m) => process.stderr.write(`${m}\n`));
  const sizes = (embeds ?? (quick ? [64, 256] : [64, 256, 1024])).map(Number);
  const precs = precisions ?? ['fp', '1bit'];
  const wanted = backends ?? ['native', 'native-1t', 'wasm', 'cpu', 'tfjs-node', 'webgpu'];
  const rows = [];
  const threads = os.availableParallelism?.() ?? os.cpus().length;

  let tv = { error: 'skipped (--no-torch)' };
  if (torch) tv = torchVersion();
  if (tv.error) {
    rows.push({ name: 'pytorch', value: NaN, unit: 'steps/s', note: `skipped: ${tv.error}` });
  }
  const { plan, skipped } = planBackends(wanted, say);
  for (const s of skipped) rows.push({ name: s.label, value: NaN, unit: 'steps/s', note: `skipped: ${s.why}` });

  for (const embed of sizes) {
    for (const precision of precs) {
      const cfg = `d=${embed} ${precision}`;
      // PyTorch at every core and at 1 thread (on a loaded 2-core machine its OpenMP
      // threads can be slower than one); the ratio is against the faster of the two.
      let torchRow = null;
      if (!tv.error) {
        for (const t of threads > 1 ? [threads, 1] : [1]) {
          say(`bench train: pytorch ${t} thread(s) ${cfg}...`);
          const r = runTorchChild({ embed, precision, threads: t, seconds });
          const name = `pytorch-${t}t ${cfg}`;
          if (r.error) {
            rows.push({ name, value: NaN, unit: 'steps/s', note: `error: ${r.error}` });
            continue;
          }
          rows.push({ name, value: r.stepsPerSec, unit: 'steps/s', note: `torch ${tv.version}, ${t} thread(s); ${noteOf(r)}`, details: r });
          if (!torchRow || r.stepsPerSec > torchRow.stepsPerSec) torchRow = r;
        }
      }
      for (const p of plan) {
        if (p.embeds && !p.embeds.includes(embed)) continue;
        say(`bench train: ${p.label} ${cfg}...`);
        const r = runNodeChild({ backend: p.backend, icd: p.icd, threads: p.threads, embed, precision, seconds });
        if (r.error) {
          rows.push({ name: `${p.label} ${cfg}`, value: NaN, unit: 'steps/s', note: `error: ${r.error}` });
          continue;
        }
        const row = { name: `${p.label} ${cfg}`, value: r.stepsPerSec, unit: 'steps/s', note: noteOf(r), details: r };
        if (torchRow) {
          row.ratio = r.stepsPerSec / torchRow.stepsPerSec;
          row.note += `; ratio vs pytorch-${torchRow.threads}t`;
        }
        rows.push(row);
      }
    }
  }
  rows.push({
    name: 'machine',
    value: threads,
    unit: 'cpus',
    note: `${os.cpus()[0]?.model ?? '?'}; node ${process.version}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`,
  });
  return rows;
}

async function cliMain(args) {
  const quick = args.includes('--quick');
  const embeds = parseList(args, '--embeds', undefined)?.map(Number);
  const precisions = parseList(args, '--precisions', undefined);
  const backends = parseList(args, '--backends', undefined);
  const si = args.indexOf('--seconds');
  const seconds = si >= 0 ? Number(args[si + 1]) : 4;
  const torch = !args.includes('--no-torch');
  const loadBefore = os.loadavg();
  const rows = await run({ quick, embeds, precisions, backends, seconds, torch });
  const header = ['name', 'steps/s', 'ratio', 'note'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${fmt(r.value)} | ${r.ratio === undefined ? '' : `${fmt(r.ratio, 2)}x`} | ${r.note ?? ''} |`);
  }
  console.log(lines.join('\n'));
  const ji = args.indexOf('--json');
  if (ji >= 0 && args[ji + 1]) {
    const file = resolve(args[ji + 1]);
    const tmp = join(dirname(file), `.${Date.now()}.tmp`);
    const payload = { date: new Date().toISOString(), loadBefore, loadAfter: os.loadavg(), rows };
    writeFileSync(tmp, `${JSON.stringify(payload, null, 2)}\n`);
    renameSync(tmp, file);
  }
}

const isMain = process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
if (isMain) {
  const args = process.argv.slice(2);
  const ci = args.indexOf('--child');
  if (args.includes('--profile')) {
    const embeds = parseList(args, '--embeds', ['256']).map(Number);
    const precisions = parseList(args, '--precisions', ['fp', '1bit']);
    const [backend] = parseList(args, '--backends', ['wasm']);
    const ri = args.indexOf('--runs');
    const runs = ri >= 0 ? Number(args[ri + 1]) : 5;
    for (const embed of embeds) {
      for (const precision of precisions) {
        const profile = backend.startsWith('native') ? profileNative : profileStep;
        console.log(await profile({ backend, embed, precision, runs, top: 20 }));
      }
    }
  } else if (ci >= 0) {
    try {
      const out = await childMain(JSON.parse(args[ci + 1]));
      process.stdout.write(`${JSON.stringify(out)}\n`);
      process.exit(0);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ error: String(err?.message ?? err).split('\n')[0] })}\n`);
      process.exit(1);
    }
  } else {
    await cliMain(args);
  }
}

