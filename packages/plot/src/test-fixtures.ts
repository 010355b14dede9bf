/**
 * Synthetic sweeps for tests and the docs' sample figures (not exported by the package).
 * Scores are deterministic functions of the config: FP runs grow a strong layer-1
 * induction head, 1-bit runs a weaker one, so figures have visible structure.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfigSummary, RunScores, ScoreTable, SplitScores } from '@ihc/induction-score';

export interface FixtureGrid {
  embeds?: number[];
  heads?: number[];
  norms?: RunConfigSummary['norm'][];
  pos?: RunConfigSummary['posEmbed'][];
  precisions?: RunConfigSummary['precision'][];
  seeds?: number[];
  layers?: number;
  /** Configs (without seed) that get no run at all. */
  missing?: Partial<RunConfigSummary>[];
  /** Configs whose run directories exist but are incomplete (no scores.json). */
  incomplete?: Partial<RunConfigSummary>[];
  /** Eval lines written to metrics.jsonl per run (default 6). */
  evalPoints?: number;
  /** Step lines per run (default 40). */
  stepPoints?: number;
}

/** A small deterministic hash in [0, 1). */
export function hash01(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

export const runIdOf = (c: Omit<RunConfigSummary, 'runId'>): string =>
  `${c.precision}-e${c.embedSize}-h${c.numHeads}-${c.norm}-${c.posEmbed}-s${c.seed}`;

function strength(c: Omit<RunConfigSummary, 'runId'>): number {
  const base = c.precision === 'fp' ? 0.85 : c.precision === '1.58bit' ? 0.6 : 0.35;
  const posPenalty = c.posEmbed === 'none' ? 0.25 : 0;
  const normPenalty = c.norm === 'none' ? 0.1 : 0;
  return Math.max(0.05, base - posPenalty - normPenalty + 0.1 * (hash01(c.embedSize, c.numHeads, c.seed) - 0.5));
}

function table(c: Omit<RunConfigSummary, 'runId'>, definition: 'target' | 'token', split: string, layers: number): ScoreTable {
  const s = strength(c) * (definition === 'token' ? 0.9 : 1);
  const best = Math.floor(hash01('best', c.embedSize, c.numHeads, c.precision) * c.numHeads);
  const values: number[] = [];
  for (let l = 0; l < layers; l++) {
    for (let h = 0; h < c.numHeads; h++) {
      const noise = hash01(definition, split, l, h, c.embedSize, c.norm, c.posEmbed, c.precision, c.seed);
      const v = l === layers - 1 ? (h === best ? s : 0.25 * s * noise) : 0.08 * noise;
      values.push(Math.min(1, Math.max(0, v)));
    }
  }
  return { definition, layers, heads: c.numHeads, values, sampleCount: split === 'train' ? 5500 : 500, description: `synthetic ${definition}` };
}

function splitScores(c: Omit<RunConfigSummary, 'runId'>, split: 'train' | 'eval', layers: number): SplitScores {
  const acc = Math.min(1, strength(c) * 1.1 + 0.05 * hash01('acc', split, c.seed));
  return {
    split,
    copyAccuracy: acc,
    loss: 3.3 * (1 - acc) + 0.05,
    sampleCount: split === 'train' ? 5500 : 500,
    scores: { target: table(c, 'target', split, layers), token: table(c, 'token', split, layers) },
  };
}

/** The RunScores of one synthetic run. */
export function syntheticRunScores(c: Omit<RunConfigSummary, 'runId' | 'numLayers' | 'softmax'> & Partial<RunConfigSummary>): RunScores {
  const full: Omit<RunConfigSummary, 'runId'> = { numLayers: 2, softmax: 'vanilla', ...c };
  const layers = full.numLayers;
  return {
    version: 1,
    config: { runId: c.runId ?? runIdOf(full), ...full },
    steps: 200,
    seconds: 12.5,
    backend: 'cpu',
    splits: { train: splitScores(full, 'train', layers), eval: splitScores(full, 'eval', layers) },
  };
}

/** metrics.jsonl text of a synthetic run. */
export function syntheticMetrics(run: RunScores, stepPoints = 40, evalPoints = 6): string {
  const lines: string[] = [];
  const final = run.splits.eval;
  for (let i = 0; i < stepPoints; i++) {
    const step = Math.round(((i + 1) * run.steps) / stepPoints);
    const t = step / run.steps;
    lines.push(
      JSON.stringify({
        type: 'step',
        step,
        epoch: Math.floor(t * 10),
        loss: 3.3 - (3.3 - final.loss) * t,
        lr: 3e-4,
        copyAccuracy: final.copyAccuracy * t,
        tokensPerSec: 1000,
        seconds: t * run.seconds,
      }),
    );
  }
  for (let i = 1; i <= evalPoints; i++) {
    const step = Math.round((i * run.steps) / evalPoints);
    const t = step / run.steps;
    for (const split of ['train', 'eval'] as const) {
      const s = run.splits[split];
      lines.push(
        JSON.stringify({
          type: 'eval',
          step,
          split,
          loss: 3.3 - (3.3 - s.loss) * t,
          copyAccuracy: s.copyAccuracy * t,
          target: s.scores.target.values.map((v) => v * t),
          token: s.scores.token.values.map((v) => v * t),
        }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const matches = (c: Partial<RunConfigSummary>, pattern: Partial<RunConfigSummary>): boolean =>
  Object.entries(pattern).every(([k, v]) => (c as Record<string, unknown>)[k] === v);

/** Writes a synthetic sweep into `dir` (default: a fresh temp dir) and returns its path and runs. */
export function makeSweep(grid: FixtureGrid = {}, dir?: string): { dir: string; runs: RunScores[] } {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'ihc-plot-sweep-'));
  mkdirSync(root, { recursive: true });
  const runs: RunScores[] = [];
  for (const precision of grid.precisions ?? ['fp', '1bit']) {
    for (const embedSize of grid.embeds ?? [16, 32]) {
      for (const numHeads of grid.heads ?? [2, 4]) {
        for (const norm of grid.norms ?? ['pre', 'post', 'none']) {
          for (const posEmbed of grid.pos ?? ['learnable', 'trigonometric', 'none']) {
            for (const seed of grid.seeds ?? [0, 1]) {
              const c = { precision, embedSize, numHeads, norm, posEmbed, seed, numLayers: grid.layers ?? 2 };
              if ((grid.missing ?? []).some((m) => matches(c, m))) continue;
              const run = syntheticRunScores(c);
              const runDir = join(root, run.config.runId);
              mkdirSync(runDir, { recursive: true });
              writeFileSync(
                join(runDir, 'config.json'),
                JSON.stringify({ runId: run.config.runId, sweep: 'fixture', model: { ...c, vocabSize: 27, maxSeqLength: 29 }, train: { lr: 3e-4, batchSize: 128 }, seed, backend: 'cpu', versions: {} }, null, 2),
              );
              writeFileSync(join(runDir, 'metrics.jsonl'), syntheticMetrics(run, grid.stepPoints, grid.evalPoints));
              if ((grid.incomplete ?? []).some((m) => matches(c, m))) continue;
              writeFileSync(join(runDir, 'scores.json'), JSON.stringify(run, null, 1));
              runs.push(run);
            }
          }
        }
      }
    }
  }
  return { dir: root, runs };
}

/** A small file in the shape of the original's seed-scores.json. */
export function originalFixture(): Record<string, unknown> {
  const run = (split: string, precision: string, embed: number, heads: number, pos: string, norm: string, v: number, softmax = 'vanilla') => ({
    split,
    precision,
    embed,
    heads,
    pos,
    norm,
    softmax,
    seed: 49,
    file: `${split}_${precision}_embed_${embed}_head_${heads}_pos_${pos}_norm_${norm}${softmax === 'off1' ? '_softmax1' : ''}_seed_49.pt`,
    scores: [Array(heads).fill(v / 2), Array(heads).fill(v)],
  });
  const runs = [
    run('eval', 'FP', 64, 2, 'learnable', 'pre_norm', 0.2),
    run('eval', 'FP', 64, 2, 'learnable', 'post_norm', 0.1),
    run('eval', 'FP', 64, 2, 'learnable', 'no_norm', 0.3, 'off1'),
    run('eval', '1Bit', 64, 2, 'no_pos', 'pre_norm', 0.05),
  ];
  return {
    description: 'fixture',
    grid: { embed: [64, 128], heads: [2, 4], pos: ['learnable', 'trigonometric', 'no_pos'], norm: ['pre_norm', 'post_norm', 'no_norm'] },
    counts: { run_files: runs.length },
    coverage: { 'eval/FP': { present: 3, expected: 4, missing: [{ embed: 128, heads: 4, pos: 'no_pos', norm: 'no_norm' }] } },
    runs,
    averages: [
      {
        folder: 'eval_avg_pos_effects/learnable',
        file: 'FP_embed_64_head_2_pos_learnable_average.pt',
        split: 'eval',
        precision: 'FP',
        embed: 64,
        heads: 2,
        averaged_over: 'norm',
        fixed: 'pos',
        fixed_value: 'learnable',
        scores: [[0.1, 0.1], [0.2, 0.2]],
        members: runs.slice(0, 3).map((r) => r.file),
        n_members: 3,
      },
    ],
  };
}
