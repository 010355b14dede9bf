// "Train in your browser": trains @ihc/model's attention-only transformer on the copy
// task in this page (WebGPU when the browser has it, else wasm, else plain JS) and
// shows the loss, the copy accuracy and the attention of the last position while the
// induction head forms.
//
// URL parameters (all optional) preset the form: precision, embed, heads, steps, batch,
// lr, backend (auto|webgpu|wasm|cpu), seed, seq (sentence length, default 30), count
// (sentences, default 6000), vocab (the letters, default a..z), evaln (held-out sentences scored, default 128), viz (refresh
// the held-out accuracy and heat maps every N steps, default 10), autostart (default 1).
// window.ihcTrain exposes the run to scripts (the end-to-end test reads it).
import * as ihc from './model/browser.js';

const { tf } = ihc;
const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);

/** What scripts can read: the chosen backend, every step, every evaluation. */
const state = {
  /** Resolves once the first run has chosen its backend (or rejects). */
  ready: undefined,
  /** Resolves with the summary of the current run when it ends. */
  done: undefined,
  backend: undefined,
  detail: undefined,
  settings: undefined,
  history: [],
  evals: [],
  error: undefined,
  running: false,
};
window.ihcTrain = state;

function setting(name, fallback) {
  const v = query.get(name);
  return v === null || v === '' ? fallback : v;
}

// preset the form from the URL
for (const [param, id] of [['precision', 'precision'], ['embed', 'embed'], ['heads', 'heads'], ['steps', 'steps'], ['batch', 'batch'], ['lr', 'lr'], ['backend', 'backend-choice']]) {
  const v = query.get(param);
  if (v !== null && v !== '') $(id).value = v;
}

function readSettings() {
  return {
    precision: $('precision').value,
    embed: Number($('embed').value),
    heads: Number($('heads').value),
    steps: Number($('steps').value),
    batch: Number($('batch').value),
    lr: Number($('lr').value),
    backend: $('backend-choice').value,
    seed: Number(setting('seed', '0')),
    seq: Number(setting('seq', '30')),
    count: Number(setting('count', '6000')),
    vocab: setting('vocab', 'abcdefghijklmnopqrstuvwxyz'),
    evalN: Number(setting('evaln', '128')),
    vizEvery: Math.max(1, Number(setting('viz', '10'))),
  };
}

function fmt(x, digits = 4) {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

function showError(e) {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  state.error = message;
  $('error').textContent = message;
  console.error(e);
}

// ---------------------------------------------------------------- drawing

function drawCurve(total) {
  const canvas = $('curve');
  const ctx = canvas.getContext('2d');
  const w = canvas.width;
  const h = canvas.height;
  const pad = { l: 44, r: 44, t: 10, b: 24 };
  ctx.clearRect(0, 0, w, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#d5dae3';
  ctx.fillStyle = '#4a5263';
  const maxLoss = Math.max(Math.log(state.vocabSize ?? 27), ...state.history.map((s) => s.loss).filter(Number.isFinite));
  const x = (step) => pad.l + ((w - pad.l - pad.r) * step) / Math.max(1, total);
  const yLoss = (v) => h - pad.b - ((h - pad.t - pad.b) * v) / maxLoss;
  const yAcc = (v) => h - pad.b - (h - pad.t - pad.b) * v;
  ctx.beginPath();
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    ctx.moveTo(pad.l, yAcc(v));
    ctx.lineTo(w - pad.r, yAcc(v));
    ctx.fillText(v.toFixed(2), w - pad.r + 6, yAcc(v) + 4);
    ctx.fillText((v * maxLoss).toFixed(1), 6, yAcc(v) + 4);
  }
  ctx.stroke();
  ctx.fillText('step', w / 2, h - 6);
  ctx.fillText(String(total), w - pad.r - 20, h - 6);
  // batch accuracy (faint), held-out accuracy (points + line), loss (line)
  ctx.fillStyle = 'rgba(224, 123, 0, 0.25)';
  for (const s of state.history) ctx.fillRect(x(s.step) - 1, yAcc(s.acc) - 1, 2, 2);
  ctx.strokeStyle = '#e07b00';
  ctx.fillStyle = '#e07b00';
  ctx.lineWidth = 2;
  ctx.beginPath();
  state.evals.forEach((e, i) => (i === 0 ? ctx.moveTo(x(e.step), yAcc(e.accuracy)) : ctx.lineTo(x(e.step), yAcc(e.accuracy))));
  ctx.stroke();
  for (const e of state.evals) ctx.fillRect(x(e.step) - 2, yAcc(e.accuracy) - 2, 4, 4);
  ctx.strokeStyle = '#2458c6';
  ctx.beginPath();
  state.history.forEach((s, i) => (i === 0 ? ctx.moveTo(x(s.step), yLoss(s.loss)) : ctx.lineTo(x(s.step), yLoss(s.loss))));
  ctx.stroke();
  ctx.lineWidth = 1;
}

const SVG = 'http://www.w3.org/2000/svg';
function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function color(p) {
  // white -> deep blue; sqrt so that small weights stay visible
  const v = Math.sqrt(Math.min(1, Math.max(0, p)));
  const mix = (a, b) => Math.round(a + (b - a) * v);
  return `rgb(${mix(255, 20)}, ${mix(255, 50)}, ${mix(255, 150)})`;
}

/** One SVG per layer: heads x key positions, the attention of the last position (query). */
function drawHeatmaps(view) {
  const { symbols, tokens, keyPos, rows, scores, heads, t, step } = view;
  const cell = 22;
  const left = 34;
  const top = 20;
  const right = 150;
  const box = $('heatmaps');
  box.replaceChildren();
  rows.forEach((layerRows, layer) => {
    const fig = document.createElement('figure');
    fig.dataset.layer = String(layer);
    const cap = document.createElement('figcaption');
    const best = Math.max(...scores[layer]);
    cap.textContent = `Layer ${layer + 1} (step ${step}): each row is a head, each column a position; ` +
      `best head puts ${(100 * best).toFixed(0)}% of its attention on the token to copy (mean over the held-out sentences).`;
    fig.append(cap);
    const svg = svgEl('svg', { width: left + t * cell + right, height: top + heads * cell + 4, role: 'img' });
    for (let k = 0; k < t; k++) {
      svg.append(svgEl('text', { x: left + k * cell + cell / 2, y: 14, 'text-anchor': 'middle', fill: k === keyPos ? '#b00020' : '#1d2330' }, symbols[tokens[k]]));
    }
    for (let hd = 0; hd < heads; hd++) {
      svg.append(svgEl('text', { x: 4, y: top + hd * cell + 15 }, `h${hd}`));
      for (let k = 0; k < t; k++) {
        const p = layerRows[hd * t + k];
        const rect = svgEl('rect', { x: left + k * cell, y: top + hd * cell, width: cell - 1, height: cell - 1, fill: color(p) });
        rect.append(svgEl('title', {}, `layer ${layer + 1} head ${hd} -> position ${k} '${symbols[tokens[k]]}': ${p.toFixed(3)}`));
        svg.append(rect);
      }
      svg.append(svgEl('text', { x: left + t * cell + 8, y: top + hd * cell + 15 }, `to copy: ${scores[layer][hd].toFixed(2)}`));
    }
    svg.append(svgEl('rect', { x: left + keyPos * cell - 1, y: top - 1, width: cell + 1, height: heads * cell + 1, fill: 'none', stroke: '#b00020', 'stroke-width': 2, class: 'target' }));
    fig.append(svg);
    box.append(fig);
  });
}

// ---------------------------------------------------------------- training

/** Held-out sentences scored at every refresh: tensors plus the label arrays. */
function heldOut(split, n, t) {
  const count = Math.min(n, split.count);
  return {
    count,
    x: tf.tensor2d(split.inputs.subarray(0, count * t), [count, t], 'int32'),
    q: tf.tensor1d(split.queryPos.subarray(0, count), 'int32'),
    labels: split.labels.subarray(0, count * t),
    queryPos: split.queryPos.subarray(0, count),
    keyPos: split.keyPos.subarray(0, count),
    tokens: split.inputs.subarray(0, t),
  };
}

async function evaluateHeldOut(model, config, held, t, step, symbols) {
  const heads = config.numHeads;
  const out = ihc.forward(model, config, held.x);
  const pred = tf.tidy(() => ihc.argmaxAt(out.logits, held.q));
  // every query sits at the last position (t - 1): its attention row per layer, [n, H, t]
  const rows = tf.tidy(() => out.attention.map((a) => tf.reshape(tf.slice(a, [0, 0, t - 1, 0], [held.count, heads, 1, t]), [held.count, heads, t])));
  tf.dispose([out.logits, ...out.attention]);
  let predIds;
  let rowData;
  try {
    [predIds, ...rowData] = await Promise.all([pred.data(), ...rows.map((r) => r.data())]);
  } finally {
    tf.dispose([pred, ...rows]);
  }
  const accuracy = ihc.copyHits(Int32Array.from(predIds), held.labels, held.queryPos, t) / held.count;
  const scores = rowData.map((r) => {
    const s = new Array(heads).fill(0);
    for (let b = 0; b < held.count; b++) for (let h = 0; h < heads; h++) s[h] += r[(b * heads + h) * t + held.keyPos[b]];
    return s.map((v) => v / held.count);
  });
  const evalResult = { step, accuracy, scores };
  state.evals.push(evalResult);
  $('eval-acc').textContent = fmt(accuracy, 3);
  drawHeatmaps({
    symbols, tokens: held.tokens, keyPos: held.keyPos[0], heads, t, step, scores,
    rows: rowData.map((r) => r.subarray(0, heads * t)),
  });
  return evalResult;
}

function memoryLine() {
  const m = tf.memory();
  $('tensors').textContent = String(m.numTensors);
  return m;
}

async function train(settings, run) {
  $('error').textContent = '';
  const chosen = await ihc.selectBackend({ backend: settings.backend, wasmPaths: new URL('./wasm/', location.href).href });
  state.backend = chosen.name;
  state.detail = chosen.detail;
  $('backend').textContent = chosen.name === 'webgpu' ? 'WebGPU' : chosen.name === 'wasm' ? 'WebAssembly (wasm)' : chosen.name;
  $('backend').dataset.backend = chosen.name;
  $('detail').textContent = `backend: ${chosen.detail}`;
  run.onReady();

  const tc = ihc.resolveTrainConfig({
    seed: settings.seed,
    steps: settings.steps,
    batchSize: settings.batch,
    lr: settings.lr,
    loss: 'target',
    dataset: { seed: settings.seed, seqLength: settings.seq, count: settings.count, vocabulary: [...settings.vocab] },
  });
  const task = ihc.generateCopyTask(tc.dataset);
  const config = ihc.resolveModelConfig({
    embedSize: settings.embed,
    numHeads: settings.heads,
    precision: settings.precision,
    vocabSize: task.tokenizer.vocabSize,
    maxSeqLength: Math.max(29, task.train.seqLength - 1),
  });
  const symbols = task.tokenizer.symbols;
  state.vocabSize = config.vocabSize;
  const t = task.train.seqLength - 1;
  const schedule = ihc.scheduleOf(tc);
  const perEpoch = ihc.stepsPerEpoch(tc);
  const total = ihc.totalSteps(tc);
  $('total').textContent = String(total);
  const held = heldOut(task.eval, settings.evalN, t);
  $('sample').textContent = task.tokenizer.decode(held.tokens);

  const model = ihc.initParams(config, tc.seed);
  const optimizer = ihc.createAdamW(model, {
    lr: tc.lr,
    betas: tc.betas,
    eps: tc.eps,
    weightDecay: tc.weightDecay,
    decay: (name) => ihc.decaysWeight(name, tc.weightDecayScope),
  });
  const byVarName = new Map(optimizer.names.map((n) => [model[n].name, n]));
  const varList = optimizer.names.map((n) => model[n]);
  const started = performance.now();
  let stepsDone = 0;
  try {
    await evaluateHeldOut(model, config, held, t, 0, symbols);
    drawCurve(total);
    let epoch = -1;
    let batches;
    for (let step = 0; step < total; step++) {
      await run.unpaused();
      if (run.cancelled) break;
      if (Math.floor(step / perEpoch) !== epoch) {
        epoch = Math.floor(step / perEpoch);
        batches = ihc.batchIterator(task.train, { batchSize: tc.batchSize, seed: tc.seed, epoch, dropLast: true })[Symbol.iterator]();
      }
      const batch = batches.next().value;
      const lr = ihc.lrAt(step, schedule);
      const x = tf.tensor2d(batch.inputs, [batch.size, t], 'int32');
      const y = tf.tensor2d(batch.labels, [batch.size, t], 'int32');
      const q = tf.tensor1d(batch.queryPos, 'int32');
      let pred;
      const { value, grads } = tf.variableGrads(() => {
        const out = ihc.forward(model, config, x);
        pred = tf.keep(ihc.argmaxAt(out.logits, q));
        return ihc.crossEntropyLoss(out.logits, y, { mode: tc.loss, queryPos: q });
      }, varList);
      let loss;
      let predIds;
      try {
        const named = {};
        for (const [name, g] of Object.entries(grads)) named[byVarName.get(name) ?? name] = g;
        // read the loss before updating: a NaN must not reach the weights
        loss = (await value.data())[0];
        if (!Number.isFinite(loss)) throw new Error(`the loss is ${loss} at step ${step + 1}; try a lower learning rate`);
        optimizer.step(named, lr);
        predIds = Int32Array.from(await pred.data());
      } finally {
        tf.dispose([x, y, q, value, pred, ...Object.values(grads)]);
      }
      stepsDone = step + 1;
      const acc = ihc.copyHits(predIds, batch.labels, batch.queryPos, t) / batch.size;
      state.history.push({ step: stepsDone, loss, acc, lr });
      $('step').textContent = String(stepsDone);
      $('loss').textContent = fmt(loss);
      $('acc').textContent = fmt(acc, 3);
      $('speed').textContent = (stepsDone / ((performance.now() - started) / 1000)).toFixed(1);
      memoryLine();
      if (stepsDone % settings.vizEvery === 0 || stepsDone === total) await evaluateHeldOut(model, config, held, t, stepsDone, symbols);
      drawCurve(total);
    }
  } finally {
    optimizer.dispose();
    ihc.disposeParams(model);
    tf.dispose([held.x, held.q]);
    memoryLine();
  }
  const last = state.evals.at(-1);
  return {
    status: run.cancelled ? 'stopped' : 'completed',
    backend: state.backend,
    steps: stepsDone,
    firstLoss: state.history[0]?.loss,
    lastLoss: state.history.at(-1)?.loss,
    heldOutAccuracy: last?.accuracy,
    seconds: (performance.now() - started) / 1000,
    numTensors: tf.memory().numTensors,
  };
}

// ---------------------------------------------------------------- controls

let current;

function newRun() {
  let resume;
  let pausedPromise;
  const run = {
    cancelled: false,
    paused: false,
    onReady: () => undefined,
    unpaused: () => (run.paused ? pausedPromise : Promise.resolve()),
    pause() {
      if (run.paused) return;
      run.paused = true;
      pausedPromise = new Promise((r) => (resume = r));
    },
    resume() {
      if (!run.paused) return;
      run.paused = false;
      resume();
    },
  };
  return run;
}

async function start() {
  if (current) {
    current.cancelled = true;
    current.resume();
    await state.done.catch(() => undefined);
  }
  const run = newRun();
  current = run;
  state.settings = readSettings();
  state.history = [];
  state.evals = [];
  state.error = undefined;
  state.running = true;
  $('pause').disabled = false;
  $('pause').textContent = 'Pause';
  const ready = new Promise((resolve) => (run.onReady = resolve));
  if (!state.ready) state.ready = ready;
  state.done = train(state.settings, run);
  state.done
    .catch((e) => showError(e))
    .finally(() => {
      if (current === run) {
        state.running = false;
        $('pause').disabled = true;
      }
    });
  // a failure before the backend started rejects `ready` too
  state.done.catch(() => undefined);
  return state.done;
}

$('controls').addEventListener('submit', (e) => {
  e.preventDefault();
  start().catch(() => undefined); // shown in #error
});
$('pause').addEventListener('click', () => {
  if (!current) return;
  if (current.paused) {
    current.resume();
    $('pause').textContent = 'Pause';
  } else {
    current.pause();
    $('pause').textContent = 'Resume';
  }
});

if (setting('autostart', '1') !== '0') {
  const done = start();
  // make `ready` settle even when the run fails before choosing a backend
  state.ready = Promise.race([state.ready, done.then(() => undefined)]);
  state.ready.catch(() => undefined); // shown in #error
} else {
  state.ready = Promise.resolve();
}
