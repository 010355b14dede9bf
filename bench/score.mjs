// Benchmark of @ihc/induction-score (the BUILT package: run `npx tsup` in
// packages/induction-score, or `npm run build`, first).
//
// Scores attention of the shape the study produces for the whole train split of a
// 16-head, 2-layer model: [layers 2, batch 5500, heads 16, query 29, key 29]
// = 148M float32 values (592 MB). Reports the median of 5 timed runs after one
// warm-up, with and without the validation pass.
//
//   node bench/score.mjs          prints a table
//   import { run } from './score.mjs'; await run()   returns the rows
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { detectHeads, inductionScores } from '@ihc/induction-score';
import { createPrng } from '@ihc/copy-task';

const LAYERS = 2;
const BATCH = 5500;
const HEADS = 16;
const T = 29;
const REPEATS = 5;

/** Seeded uniform [0, 1) source (the project's PRNG), so the inputs are the same on every run. */
function seededRandom(seed) {
  const prng = createPrng(seed);
  return () => prng.next();
}

/** Copy-task inputs: pre + ['&', m] + noise + ['&'], 29 tokens; '&' = 26. */
function copyTaskInputs(batch, rand) {
  const tokens = new Int32Array(batch * T);
  const queryPos = new Int32Array(batch);
  const keyPos = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const pre = Math.floor(rand() * 4);
    const row = tokens.subarray(b * T, (b + 1) * T);
    for (let i = 0; i < T; i++) row[i] = Math.floor(rand() * 26);
    row[pre] = 26;
    row[T - 1] = 26;
    queryPos[b] = T - 1;
    keyPos[b] = pre + 1;
  }
  return { tokens, queryPos, keyPos };
}

/**
 * Causal attention [layers, batch, heads, T, T]: a few random softmax-like head
 * patterns, copied block by block (fast to build; every value is still read).
 */
function causalAttention(layers, batch, heads, rand) {
  const block = T * T;
  const templates = Array.from({ length: 8 }, () => {
    const m = new Float32Array(block);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let k = 0; k <= t; k++) s += m[t * T + k] = rand() + 0.01;
      for (let k = 0; k <= t; k++) m[t * T + k] /= s;
    }
    return m;
  });
  const data = new Float32Array(layers * batch * heads * block);
  for (let i = 0, o = 0; o < data.length; i++, o += block) data.set(templates[i % 8], o);
  return data;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall-clock and CPU milliseconds of REPEATS runs after one warm-up. */
function time(fn) {
  fn(); // warm-up
  const wall = [];
  const cpu = [];
  for (let i = 0; i < REPEATS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Nested arrays for the first `batch` samples of layer 0 ([batch][heads][T][T]). */
function nestedLayer0(data, batch) {
  const out = [];
  for (let b = 0; b < batch; b++) {
    const heads = [];
    for (let h = 0; h < HEADS; h++) {
      const rows = [];
      for (let t = 0; t < T; t++) {
        const o = ((b * HEADS + h) * T + t) * T;
        rows.push(Array.from(data.subarray(o, o + T)));
      }
      heads.push(rows);
    }
    out.push(heads);
  }
  return out;
}

export async function run() {
  const rand = seededRandom(0);
  const { tokens, queryPos, keyPos } = copyTaskInputs(BATCH, rand);
  let data = causalAttention(LAYERS, BATCH, HEADS, rand);
  const shape = [LAYERS, BATCH, HEADS, T, T];
  const attention = { data, shape };
  const size = `${shape.join('x')} = ${(data.length / 1e6).toFixed(0)}M float32`;
  const note = `${size}; median of ${REPEATS}`;
  const rows = [];
  const round = (v) => Number(v.toFixed(v < 10 ? 2 : 1));
  const add = (name, value, unit, extra = note) => rows.push({ name, value: round(value), unit, note: extra });
  // wall-clock ms as the value; CPU ms in the note (steadier on a shared machine)
  const addTime = (name, t, extra = note) => add(name, t.wall, 'ms', `${extra}; cpu ${round(t.cpu)} ms`);

  const cases = [
    ['target score', { definition: 'target', queryPos, keyPos }],
    ['token score', { definition: 'token', tokens }],
    ['stripe score', { definition: 'stripe', period: 14 }],
  ];
  for (const [name, options] of cases) {
    const validated = time(() => inductionScores(attention, options));
    const unvalidated = time(() => inductionScores(attention, { ...options, validate: false }));
    addTime(`${name}, validated`, validated);
    addTime(`${name}, validate: false`, unvalidated);
  }
  const detect = time(() => detectHeads(attention, { tokens }));
  addTime('detectHeads (3 scores), validated', detect);
  const validatedToken = time(() => inductionScores(attention, { definition: 'token', tokens }));
  add(
    'validated token score throughput',
    data.length / (validatedToken.cpu * 1e3),
    'Mvalues/s',
    `per CPU second; ${size}`,
  );

  // Nested arrays are the slow path: eval-split sized, one layer.
  const evalBatch = 500;
  const nested = nestedLayer0(data, evalBatch);
  const nestedMs = time(() => inductionScores(nested, { definition: 'token', tokens: tokens.subarray(0, evalBatch * T) }));
  addTime('token score, nested arrays', nestedMs, `${evalBatch}x${HEADS}x${T}x${T} number[][][][]; median of ${REPEATS}`);

  // Free the 592 MB before returning.
  attention.data = null;
  data = null;
  globalThis.gc?.();
  return rows;
}

function printTable(rows) {
  const header = ['name', 'value', 'unit', 'note'];
  const cells = [header, ...rows.map((r) => [r.name, String(r.value), r.unit, r.note])];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i === 1 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells.slice(1)) console.log(line(c));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printTable(await run());
}
