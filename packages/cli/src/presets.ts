import { CliError } from './errors';
import type { Grid } from './grid';
import { DEFAULT_RUN_SPEC, ORIGINAL_RUN_SPEC, type RunSpec } from './run-spec';

export interface Preset {
  name: string;
  description: string;
  grid: Grid;
}

/**
 * `quick`: a real, small version of the study that finishes in minutes on 2 CPU cores:
 * one configuration (embed 64, 4 heads, pre-norm, learnable positions) in FP, 1-bit,
 * b1.58 and the original's frozen-sign "1-bit", three seeds each, with our recipe
 * (docs/RESULTS.md), evaluated every 50 steps so the curves show the circuit forming.
 */
const quick: Preset = {
  name: 'quick',
  description: 'embed 64, 4 heads, pre-norm, learnable positions; fp, 1bit, 1.58bit, frozen-sign; seeds 1,2,3; our recipe (lr 1e-3, target loss, 200 steps)',
  grid: {
    base: { ...DEFAULT_RUN_SPEC, steps: 200, evalEvery: 50 },
    axes: {
      precision: ['fp', '1bit', '1.58bit', 'frozen-sign'],
      seed: [1, 2, 3],
    },
  },
};

/** `paper`: the original's 576-training grid with the original's hyperparameters (NOTES.md). */
const paper: Preset = {
  name: 'paper',
  description: "the original's grid: embed 64..8192 x heads 2,4,8,16 x norm pre/post/none x pos learnable/trigonometric/none x fp/1bit (576 runs), lr 3e-4, 500 epochs, loss over all positions",
  grid: {
    base: { ...DEFAULT_RUN_SPEC, ...ORIGINAL_RUN_SPEC, evalEvery: 0 } as RunSpec,
    axes: {
      precision: ['fp', '1bit'],
      embedSize: [64, 128, 256, 512, 768, 1024, 2048, 8192],
      numHeads: [2, 4, 8, 16],
      norm: ['pre', 'post', 'none'],
      posEmbed: ['learnable', 'trigonometric', 'none'],
    },
  },
};

/** A tiny grid for tests and smoke checks (seconds). */
const smoke: Preset = {
  name: 'smoke',
  description: 'embed 16, 2 heads, fp and 1bit, 1 seed, 20 steps on 400 sentences (a smoke test, not a result)',
  grid: {
    base: { ...DEFAULT_RUN_SPEC, embedSize: 16, numHeads: 2, steps: 20, evalEvery: 10, batchSize: 32, count: 400, trainSize: 360 },
    axes: { precision: ['fp', '1bit'] },
  },
};

export const PRESETS: Readonly<Record<string, Preset>> = { quick, paper, smoke };

export function getPreset(name: string): Preset {
  const p = PRESETS[name];
  if (!p) throw new CliError(`unknown preset '${name}'; valid presets: ${Object.keys(PRESETS).join(', ')}`);
  return p;
}
