// The PyTorch parity fixtures of @ihc/model (packages/model/fixtures/parity, written by
// tools/make_fixtures.py) and their comparison rules, for every implementation checked
// against them: the TF.js model (packages/model/src/parity.test.ts) and the native step
// (packages/native/src/native-parity.test.ts). The tolerances are explained at the top of
// parity.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelConfig } from '../packages/model/src/config';

export const RTOL = 1e-4;
export const FLOOR_FRACTION = 0.1;
export const FIXTURE_DIR = path.join(__dirname, '..', 'packages', 'model', 'fixtures', 'parity');

export interface TensorJson {
  shape: number[];
  data: number[];
}
export type TensorRecord = Record<string, TensorJson>;
export interface Fixture {
  name: string;
  description: string;
  config: ModelConfig;
  ids: number[][];
  labels: number[][];
  weights: TensorRecord;
  frozen: string[];
  logits: TensorJson;
  attention: TensorJson[];
  loss: { all: number; target: number };
  grads: TensorRecord;
  gradsTarget?: TensorRecord;
  adamw?: { lr: number; betas: [number, number]; eps: number; weightDecay: number; after: TensorRecord };
  analyticallyZeroGrads: string[];
  tolerance: { rtol: number; floorFraction: number };
  roundingMargins: { activation: number | null; weightSign: number | null; ternary: number | null };
}
export interface AdamWFixture {
  adamw: { lr: number; betas: [number, number]; eps: number; weightDecay: number };
  initial: TensorRecord;
  grads: TensorRecord[];
  after: TensorRecord[];
}
export interface FixtureIndex {
  tolerance: { rtol: number; floorFraction: number };
  fixtures: { name: string; file: string; precision: string; posEmbed: string; norm: string; softmax: string }[];
}

export const index = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'index.json'), 'utf8')) as FixtureIndex;
const cache = new Map<string, Fixture>();
export function load(name: string): Fixture {
  let fx = cache.get(name);
  if (!fx) {
    fx = JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Fixture;
    cache.set(name, fx);
  }
  return fx;
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** Largest float32 ulp at |x| (an upper bound: 2^(floor(log2|x|) - 23)). */
export function ulp32(x: number): number {
  const a = Math.abs(x);
  return a === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

/**
 * Elements whose |actual - expected| exceeds tolerance(i), skipping skip(i): how many, the
 * worst index (-1 when none) and its multiple of the tolerance.
 */
function scanOff(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: (i: number) => number,
  skip?: (i: number) => boolean,
): { bad: number; worst: number; worstRatio: number } {
  let bad = 0;
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < expected.length; i++) {
    if (skip?.(i)) continue;
    const ratio = Math.abs(actual[i] - expected[i]) / tolerance(i);
    if (!(ratio <= 1)) {
      bad++;
      if (!(ratio <= worstRatio)) {
        worstRatio = ratio;
        worst = i;
      }
    }
  }
  return { bad, worst, worstRatio };
}

/**
 * Compares element-wise with |a - e| <= RTOL * max(|e|, FLOOR_FRACTION * scale); returns
 * '' or a description of the worst element and how many failed.
 */
export function compare(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, scale: number): string {
  if (actual.length !== expected.length) return `${label}: ${actual.length} values, expected ${expected.length}`;
  const floor = FLOOR_FRACTION * scale;
  const { bad, worst, worstRatio } = scanOff(actual, expected, (i) => RTOL * Math.max(Math.abs(expected[i]), floor));
  if (bad === 0) return '';
  return (
    `${label}: ${bad}/${expected.length} values off; worst [${worst}] got ${actual[worst]}, expected ` +
    `${expected[worst]} (|diff| ${Math.abs(actual[worst] - expected[worst]).toExponential(2)}, ` +
    `${Number.isFinite(worstRatio) ? worstRatio.toFixed(1) : 'NaN'}x the tolerance; group scale ${scale.toExponential(2)})`
  );
}

export function compareAdamW(
  label: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  before: ArrayLike<number>,
  lr: number,
  skip?: (i: number) => boolean,
): string {
  if (actual.length !== expected.length) return `${label}: ${actual.length} values, expected ${expected.length}`;
  const tolerance = (i: number): number =>
    RTOL * Math.max(Math.abs(expected[i] - before[i]), FLOOR_FRACTION * lr) + 2 * ulp32(expected[i]);
  const { bad, worst, worstRatio } = scanOff(actual, expected, tolerance, skip);
  if (bad === 0) return '';
  return (
    `${label}: ${bad}/${expected.length} values off; worst [${worst}] got ${actual[worst]}, expected ` +
    `${expected[worst]} (before ${before[worst]}; ${worstRatio.toFixed(1)}x the tolerance)`
  );
}

/**
 * A fixture's one AdamW step after computing the gradients oneself (`after`: the updated
 * parameters by name) against `fx.adamw.after`. Entries whose PyTorch gradient is below
 * 1e-3 of the fixture's largest gradient are only bounded (|update| <= lr): AdamW's first
 * step is ~ -lr * g / (|g| + eps), so for a gradient that is rounding noise (d/d k.bias
 * under vanilla softmax) the update's sign is noise too. Returns the problems ('' = none).
 */
export function compareAdamWEndToEnd(fx: Fixture, after: Record<string, ArrayLike<number>>): string[] {
  const cfg = fx.adamw!;
  const gscale = gradScale(fx.grads);
  const problems: string[] = [];
  for (const n of Object.keys(cfg.after).sort()) {
    const g = fx.grads[n]?.data;
    const small = (i: number): boolean => g !== undefined && Math.abs(g[i]) < 1e-3 * gscale;
    const actual = after[n];
    problems.push(compareAdamW(n, actual, cfg.after[n].data, fx.weights[n].data, cfg.lr, small));
    for (let i = 0; i < actual.length; i++) {
      if (!small(i)) continue;
      const decayed = fx.weights[n].data[i] * (1 - cfg.lr * cfg.weightDecay);
      if (!(Math.abs(actual[i] - decayed) <= cfg.lr * (1 + 1e-6) + 2 * ulp32(decayed))) {
        problems.push(`${n}[${i}]: update ${actual[i] - decayed} larger than lr`);
      }
    }
  }
  return problems;
}

export function gradScale(grads: TensorRecord): number {
  return Math.max(...Object.values(grads).map((g) => maxAbs(g.data)));
}

export function compareGrads(label: string, actual: Record<string, Float32Array>, expected: TensorRecord): string[] {
  const problems: string[] = [];
  const names = Object.keys(expected).sort();
  const got = Object.keys(actual).sort();
  if (JSON.stringify(got) !== JSON.stringify(names)) {
    problems.push(`${label}: gradients for [${got.join(', ')}], expected [${names.join(', ')}]`);
  }
  const scale = gradScale(expected);
  for (const name of names) {
    if (actual[name]) problems.push(compare(`${label} ${name}`, actual[name], expected[name].data, scale));
  }
  return problems;
}

