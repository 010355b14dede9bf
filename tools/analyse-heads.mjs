#!/usr/bin/env node
// Circuit analysis of every complete run in a sweep directory (used for docs/RESULTS.md):
// for each run's final checkpoint, on the eval split, the strongest layer-1
// previous-token head and layer-2 induction (target) head, and on repeated random tokens
// (the standard induction test, period 14, tokens a..z, 200 sequences) the stripe score
// of every head: does the copy circuit generalise beyond the '&' query?
//
//   node tools/analyse-heads.mjs runs/quick [--json out.json]
// Needs the packages built (npm run build).
import { readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCopyTask, repeatedRandomTokens } from '@ihc/copy-task';
import { detectHeads, inductionScores } from '@ihc/induction-score';
import { disposeParams, forward, loadCheckpoint, paramsFromRecord, selectBackend } from '@ihc/model';

const [dir, ...rest] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tools/analyse-heads.mjs <sweep dir> [--json FILE]');
  process.exit(2);
}
const jsonOut = rest[0] === '--json' ? rest[1] : undefined;
await selectBackend({ backend: 'wasm' });

async function attentionOf(params, config, ids, shape) {
  const out = forward(params, config, ids, shape);
  const [B, H, T] = out.attention[0].shape;
  const data = new Float32Array(out.attention.length * B * H * T * T);
  for (let l = 0; l < out.attention.length; l++) data.set(await out.attention[l].data(), l * B * H * T * T);
  out.logits.dispose();
  out.attention.forEach((a) => a.dispose());
  return { data, shape: [config.numLayers, B, H, T, T] };
}

const max = (a) => Math.max(...a);
const rows = [];
for (const id of readdirSync(dir).sort()) {
  const runDir = join(dir, id);
  if (!existsSync(join(runDir, 'scores.json'))) continue;
  const ck = loadCheckpoint(join(runDir, 'checkpoint'));
  const config = ck.config;
  const params = paramsFromRecord(ck.weights, config);
  const data = generateCopyTask(ck.train.dataset);
  const n = Math.min(200, data.eval.count);
  const T = data.eval.seqLength - 1;
  const ids = data.eval.inputs.subarray(0, n * T);
  const att = await attentionOf(params, config, ids, [n, T]);
  const rowSum = config.softmax === 'off-by-one' ? 'at-most-one' : 'one';
  const heads = detectHeads(att, { tokens: ids, rowSum });
  const target = inductionScores(att, { definition: 'target', queryPos: data.eval.queryPos.subarray(0, n), keyPos: data.eval.keyPos.subarray(0, n), rowSum });
  const period = 14;
  const rrt = repeatedRandomTokens({ seed: 0, batch: 200, period, vocabSize: data.tokenizer.vocabSize - 1 });
  const rattn = await attentionOf(params, config, rrt.tokens, rrt.shape);
  const stripe = inductionScores(rattn, { definition: 'stripe', period, rowSum });
  const H = config.numHeads;
  const layer = (scores, l) => Array.from(scores.subarray(l * H, (l + 1) * H));
  rows.push({
    runId: id,
    precision: config.precision,
    posEmbed: config.posEmbed,
    l1PrevToken: max(layer(heads.previousToken.scores, 0)),
    l2Target: max(layer(target.scores, 1)),
    l2Stripe: max(layer(stripe.scores, 1)),
    l2Token: max(layer(heads.induction.scores, 1)),
  });
  disposeParams(params);
}
const groups = new Map();
for (const r of rows) groups.set(`${r.precision} ${r.posEmbed}`, [...(groups.get(`${r.precision} ${r.posEmbed}`) ?? []), r]);
const stat = (xs) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
  return `${m.toFixed(3)} ± ${sd.toFixed(3)}`;
};
console.log('| precision, positions | n | L1 best previous-token | L2 best target | L2 best token | L2 best stripe (repeated random tokens) |');
console.log('|---|---|---|---|---|---|');
for (const [k, rs] of groups) {
  console.log(`| ${k} | ${rs.length} | ${stat(rs.map((r) => r.l1PrevToken))} | ${stat(rs.map((r) => r.l2Target))} | ${stat(rs.map((r) => r.l2Token))} | ${stat(rs.map((r) => r.l2Stripe))} |`);
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(rows, null, 2)}\n`);
