#!/usr/bin/env -S npx tsx
/**
 * Renders the sample figures in docs/figures/ (committed): figures of a synthetic
 * sweep and of the original study's published scores.
 *
 *   npx tsx packages/plot/scripts/docs-figures.ts [path/to/seed-scores.json] [out-dir]
 *
 * The synthetic sweep's numbers are made up (see src/test-fixtures.ts); they only show
 * what each figure looks like.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/atomic-write';
import { attentionPatternSpec } from '../src/attention-pattern';
import { comparisonSpec } from '../src/comparison';
import { differenceGridSpec } from '../src/difference-grid';
import { heatmapGridSpec } from '../src/heatmap-grid';
import { parseMetrics } from '../src/metrics-reader';
import { originalGrid, parseOriginalScores } from '../src/original-scores';
import { type VegaLiteSpec, renderPng, renderSvg } from '../src/render';
import { runMapSpec } from '../src/run-map';
import { gridFromRuns } from '../src/sweep-grids';
import { makeSweep, syntheticMetrics, syntheticRunScores } from '../src/test-fixtures';
import { trainingCurvesSpec } from '../src/training-curves';

const here = dirname(fileURLToPath(import.meta.url));
const original = resolve(process.argv[2] ?? join(here, '../../../../shared/reference/seed-scores.json'));
const out = resolve(process.argv[3] ?? join(here, '../../../docs/figures'));

async function write(name: string, spec: VegaLiteSpec, scale = 1.5): Promise<void> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (w) => warnings.push(w) });
  if (warnings.length) console.warn(name, warnings);
  const png = renderPng(svg, { scale });
  await writeFileAtomic(join(out, `${name}.png`), png);
  console.log(`${name}.png ${(png.length / 1024).toFixed(0)} KB`);
}

/** A copy-task sentence's 29 input tokens and an idealised attention of layer 1. */
function copyTaskAttention(): { tokens: string[]; attention: number[][][]; keyPos: number } {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const pre = ['q', 'd'];
  const noise = Array.from({ length: 28 - pre.length - 2 }, (_, i) => letters[(i * 11 + 5) % 26]);
  const tokens = [...pre, '&', 'k', ...noise, '&', 'k'].slice(0, 29);
  const t = tokens.length;
  const keyPos = pre.length + 1;
  const induction: number[][] = [];
  const previous: number[][] = [];
  for (let q = 0; q < t; q++) {
    const ind = new Array(t).fill(0);
    const prev = new Array(t).fill(0);
    // induction: attend to the token after an earlier occurrence of the current token
    const earlier: number[] = [];
    for (let j = 1; j <= q; j++) if (tokens[j - 1] === tokens[q] && j - 1 < q) earlier.push(j);
    const base = 0.15 / (q + 1);
    for (let k = 0; k <= q; k++) ind[k] = base;
    if (earlier.length) for (const j of earlier) ind[j] += 0.85 / earlier.length;
    else ind[0] += 0.85;
    for (let k = 0; k <= q; k++) prev[k] = 0.1 / (q + 1);
    prev[Math.max(0, q - 1)] += 0.9;
    induction.push(ind);
    previous.push(prev);
  }
  return { tokens, attention: [induction, previous], keyPos };
}

(async () => {
  const orig = parseOriginalScores(readFileSync(original, 'utf8'));
  const sel = { split: 'eval', definition: 'target', fixed: { key: 'posEmbed', value: 'learnable' } } as const;

  // the original's published FP figure, redrawn from its numbers (its colour scale 0..0.30)
  await write(
    'plot-original-fp-eval-learnable',
    heatmapGridSpec(originalGrid(orig, { precision: 'fp', split: 'eval', fixed: sel.fixed }), { domain: [0, 0.3], legendTitle: 'aliased score' }),
    1.25,
  );

  // a synthetic sweep on part of the original's grid, one configuration missing
  const { runs } = makeSweep({
    embeds: [64, 128, 256],
    heads: [2, 4, 8],
    norms: ['pre', 'post', 'none'],
    pos: ['learnable', 'trigonometric', 'none'],
    seeds: [0, 1],
    missing: [{ precision: '1bit', embedSize: 256, numHeads: 8 }],
    evalPoints: 12,
    stepPoints: 60,
  });
  const fp = gridFromRuns(runs, { ...sel, precision: 'fp' });
  const onebit = gridFromRuns(runs, { ...sel, precision: '1bit' });
  await write('plot-grid-synthetic-1bit-eval-learnable', heatmapGridSpec({ ...onebit, title: `${onebit.title} (synthetic data)` }));
  await write(
    'plot-difference-synthetic-eval-learnable',
    differenceGridSpec(fp, onebit, {
      a: 'FP',
      b: '1-bit',
      title: 'FP minus 1-bit · eval · learnable positions, averaged over norm modes (synthetic data)',
      subtitle: ['induction score: target; per-config means over seeds', 'red: FP scores higher · blue: 1-bit scores higher'],
    }),
  );
  await write(
    'plot-compare-original-fp-eval-learnable',
    comparisonSpec(fp, originalGrid(orig, { precision: 'fp', split: 'eval', fixed: sel.fixed }), {
      title: 'Ours (FP, synthetic data) vs original (FP) · eval · learnable positions, averaged over norm modes',
      subtitle: [
        'The original scored the last eval batch only, indexed with other batches\u2019 positions (aliased): compare patterns, not magnitudes.',
      ],
    }),
    1.25,
  );
  await write('plot-run-map', runMapSpec(syntheticRunScores({ precision: 'fp', embedSize: 128, numHeads: 4, norm: 'pre', posEmbed: 'learnable', seed: 0, runId: 'fp-e128-h4-pre-learnable-s0' })));

  const { tokens, attention, keyPos } = copyTaskAttention();
  await write(
    'plot-attention-pattern',
    attentionPatternSpec({
      attention,
      tokens,
      headLabels: ['layer 1 · head 0 (induction)', 'layer 1 · head 1 (previous token)'],
      highlight: [{ query: tokens.length - 1, key: keyPos }],
      title: 'Attention pattern of one copy-task sample (idealised)',
      subtitle: 'red outline: the target score\u2019s cell, second & \u2192 the token after the first &',
    }),
    1.25,
  );

  const series = runs
    .filter((r) => r.config.embedSize === 128 && r.config.numHeads === 4)
    .map((r) => ({ id: r.config.runId, group: r.config.precision === 'fp' ? 'FP' : '1-bit', metrics: parseMetrics(syntheticMetrics(r, 60, 12)) }));
  await write('plot-training-curves', trainingCurvesSpec(series, { colorBy: 'group', loss: 'eval', title: 'Training curves by precision (synthetic data)', order: ['FP', '1-bit'] }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
