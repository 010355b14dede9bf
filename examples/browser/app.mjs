// The demo page's logic: load the model, run it on the typed sequence, show the
// next-token distribution and every head's attention. Exposes window.ihcDemo for tests.
import { createWebSession, hasWebGpu } from '@ihc/onnx/web';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const requested = params.get('provider') ?? 'auto';
const modelUrl = params.get('model') ?? 'model.onnx';
const TOP_K = 5;

function vocabularyOf(session) {
  const v = session.metadata.props['ihc.vocabulary'];
  if (v) return JSON.parse(v);
  const n = session.config?.vocabSize ?? 0;
  if (n === 27) return [...'abcdefghijklmnopqrstuvwxyz', '&'];
  return Array.from({ length: n }, (_, i) => String(i));
}

/** Splits text into known symbols (longest match first); throws on unknown characters. */
function encode(text, vocab) {
  const symbols = [...vocab].sort((a, b) => b.length - a.length);
  const ids = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') { i++; continue; }
    const s = symbols.find((sym) => text.startsWith(sym, i));
    if (!s) throw new Error(`unknown symbol "${text[i]}" at position ${i}; known: ${vocab.join(' ')}`);
    ids.push(vocab.indexOf(s));
    i += s.length;
  }
  return ids;
}

function softmax(row) {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const SVG = 'http://www.w3.org/2000/svg';
function el(name, attrs = {}, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** One head's [T, T] attention as an SVG heatmap with token labels. */
function heatmap(values, t, tokens, title) {
  const cell = Math.max(6, Math.min(16, Math.floor(232 / t)));
  const pad = 14;
  const size = pad + t * cell;
  const svg = el('svg', { width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-label': title });
  for (let q = 0; q < t; q++) {
    el('text', { x: 2, y: pad + q * cell + cell * 0.75 }, svg).textContent = tokens[q];
    el('text', { x: pad + q * cell + 2, y: 10 }, svg).textContent = tokens[q];
    for (let k = 0; k < t; k++) {
      const a = values[q * t + k];
      const rect = el('rect', {
        x: pad + k * cell, y: pad + q * cell, width: cell, height: cell,
        fill: `rgba(20, 60, 140, ${Math.min(1, Math.max(0, a)).toFixed(4)})`,
        stroke: '#eee', 'stroke-width': 0.5,
      }, svg);
      el('title', {}, rect).textContent = `query ${q} (${tokens[q]}) -> key ${k} (${tokens[k]}): ${a.toFixed(4)}`;
    }
  }
  return svg;
}

function showAttention(result, ids, vocab) {
  const [, heads, t] = result.shapes.attention;
  const tokens = ids.map((i) => vocab[i]);
  const root = $('heatmaps');
  root.replaceChildren();
  result.attention.forEach((layer, l) => {
    const div = document.createElement('div');
    div.className = 'layer';
    const h = document.createElement('h3');
    h.textContent = `Layer ${l}`;
    div.appendChild(h);
    for (let hd = 0; hd < heads; hd++) {
      const fig = document.createElement('figure');
      fig.dataset.layer = String(l);
      fig.dataset.head = String(hd);
      const slice = layer.subarray(hd * t * t, (hd + 1) * t * t);
      fig.appendChild(heatmap(slice, t, tokens, `layer ${l} head ${hd}`));
      const cap = document.createElement('figcaption');
      cap.textContent = `head ${hd}`;
      fig.appendChild(cap);
      div.appendChild(fig);
    }
    root.appendChild(div);
  });
  $('attention').hidden = false;
}

function showPrediction(probs, vocab, ms) {
  const order = probs.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, TOP_K);
  $('top-token').textContent = vocab[order[0][1]];
  const body = $('topk').querySelector('tbody');
  body.replaceChildren();
  for (const [p, i] of order) {
    const tr = document.createElement('tr');
    tr.dataset.token = vocab[i];
    tr.dataset.probability = String(p);
    tr.innerHTML = `<td class="token"></td><td>${p.toFixed(4)}</td><td><div class="bar" style="width:${(p * 12).toFixed(2)}rem"></div></td>`;
    tr.firstChild.textContent = vocab[i];
    body.appendChild(tr);
  }
  $('timing').textContent = `inference ${ms.toFixed(1)} ms`;
  $('prediction').hidden = false;
}

async function start() {
  $('provider-choice').value = requested;
  $('provider-choice').addEventListener('change', (e) => {
    params.set('provider', e.target.value);
    location.search = params.toString();
  });
  const gpu = await hasWebGpu();
  const provider = requested === 'auto' ? (gpu ? 'webgpu' : 'wasm') : requested;
  const session = await createWebSession(modelUrl, { provider, fallback: requested === 'auto', wasmPaths: '/ort/' });
  const vocab = vocabularyOf(session);
  const config = session.config;
  const label = session.metadata.props['ihc.demo.label'] ??
    (config ? `${config.precision}, d ${config.embedSize}, ${config.numHeads} heads, ${config.numLayers} layers` : 'unknown model');
  $('model-label').textContent = label;
  if (/random/i.test(label)) $('model-label').className = 'warning';
  $('alphabet').textContent = vocab.join(' ');
  $('provider').textContent = session.provider === 'webgpu' ? 'WebGPU' : 'wasm (WebAssembly, CPU)';
  $('provider').dataset.provider = session.provider;
  $('provider-note').textContent = session.fallbackReason ?? (gpu ? '' : 'This browser exposes no WebGPU adapter.');

  async function run(text) {
    $('input-error').textContent = '';
    let ids;
    try {
      ids = encode(text, vocab);
      if (ids.length === 0) throw new Error('type at least one token');
      if (config && ids.length > config.maxSeqLength) {
        throw new Error(`at most ${config.maxSeqLength} tokens; got ${ids.length}`);
      }
    } catch (e) {
      $('input-error').textContent = e.message;
      throw e;
    }
    const t0 = performance.now();
    const result = await session.run([ids]);
    const ms = performance.now() - t0;
    const v = result.shapes.logits[2];
    const last = Array.from(result.logits.subarray((ids.length - 1) * v, ids.length * v));
    const probs = softmax(last);
    showPrediction(probs, vocab, ms);
    showAttention(result, ids, vocab);
    const out = {
      text, ids, provider: session.provider,
      logits: Array.from(result.logits), probs,
      attention: result.attention.map((a) => Array.from(a)),
      shapes: result.shapes,
    };
    window.ihcDemo.last = out;
    return out;
  }

  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    run($('sequence').value).catch(() => {});
  });
  $('run').disabled = false;
  window.ihcDemo.provider = session.provider;
  window.ihcDemo.run = run;
  await run($('sequence').value).catch(() => {});
}

window.ihcDemo = { last: undefined, error: undefined };
window.ihcDemo.ready = start().then(
  () => true,
  (e) => {
    window.ihcDemo.error = String(e?.message ?? e);
    $('provider').textContent = 'failed';
    $('provider-note').textContent = window.ihcDemo.error;
    $('provider-note').className = 'error';
    return false;
  },
);
