// Finite-difference check of the FP model's gradients (forward + cross-entropy loss +
// tf.variableGrads, with the package's custom gradients: denseMatMul, batchMatMul,
// off-by-one softmax's stopGradient).
//
// TF.js has no float64, so the loss is a float32 number with rounding noise of a few
// float32 ulps (~2.4e-7 at L ~ 2). We use the fourth-order central difference
//   g ~ (8 (L(w+h) - L(w-h)) - (L(w+2h) - L(w-2h))) / (12 h),   h = 2^-6
// (truncation error O(h^4); a power-of-two h makes w +- h, w +- 2h exact enough that the
// step is h up to one float32 ulp of w), whose rounding error is ~1.5 * noise / h. The
// bound is
//   |g_autodiff - g_fd| <= 1e-2 * max(|g_autodiff|, |g_fd|, 1e-2 * gmax)
// with gmax the largest |gradient| of the model. Measured: the worst coordinate of the
// three configs is off by 2e-3 of max(|g|, 1e-2 gmax) (typical 1e-4), i.e. the finite
// difference's own float32 error (~1.5 * 2.4e-7 / h ~ 2e-5 absolute); 1e-2 leaves 5x
// margin, and the floor keeps tiny gradients (the key bias, analytically 0 under vanilla
// softmax) from being judged relative to their own rounding noise. A wrong gradient (a
// missing transpose, a dropped term, a wrong scale) is off by O(1) relative and fails. PyTorch parity of the same
// gradients at 1e-4 is in parity.test.ts; this test is independent of any reference.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { resolveModelConfig, type ModelConfig } from './config';
import { forward } from './forward';
import './gradients';
import { crossEntropyLoss } from './loss';
import { disposeParams, paramShapes, paramsFromRecord, type ParamRecord, type Params } from './params';

tf.env().set('PROD', true);

const H = 2 ** -6;
const REL_TOL = 1e-2;
const FLOOR_FRACTION = 1e-2;
const COORDS_PER_PARAM = 3;

/** mulberry32 -> standard normals (Box-Muller); test-local, seeded. */
function normals(count: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return out;
}

/** Weights large enough that attention is far from uniform and every term matters. */
function randomRecord(config: ModelConfig, seed: number): ParamRecord {
  const record: ParamRecord = {};
  const d = config.embedSize;
  let s = seed;
  for (const [name, shape] of Object.entries(paramShapes(config))) {
    const size = shape.reduce((x, y) => x * y, 1);
    const z = normals(size, s++);
    let scale = 1;
    let offset = 0;
    if (name === 'pos_embed') scale = 0.5;
    else if (name === 'ln.gamma') [scale, offset] = [0.1, 1];
    else if (name === 'ln.beta' || name.endsWith('.bias')) scale = 0.1;
    else if (name.startsWith('layers.')) scale = 1.2 / Math.sqrt(d);
    else if (name === 'unembed.kernel') scale = 1 / Math.sqrt(d);
    record[name] = { shape, data: z.map((v) => offset + scale * v) };
  }
  return record;
}

const B = 2;
const T = 5;
const ids = [
  [1, 4, 2, 6, 1],
  [0, 3, 3, 5, 2],
];
const labels = Int32Array.from([4, 2, 6, 1, 0, 3, 3, 5, 2, 6]);

function lossValue(params: Params, config: ModelConfig): () => tf.Scalar {
  return () => {
    const { logits, attention } = forward(params, config, ids);
    attention.forEach((a) => a.dispose());
    return crossEntropyLoss(logits, tf.tensor(labels, [B, T], 'int32'), { mode: 'all' });
  };
}

function evalLoss(params: Params, config: ModelConfig): number {
  return tf.tidy(() => lossValue(params, config)().dataSync()[0]);
}

function withValue(v: tf.Variable, base: Float32Array, i: number, value: number): void {
  const data = base.slice();
  data[i] = value;
  tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
}

const CONFIGS: Partial<ModelConfig>[] = [
  { posEmbed: 'learnable', norm: 'pre', softmax: 'vanilla' },
  { posEmbed: 'trigonometric', norm: 'post', softmax: 'off-by-one' },
  { posEmbed: 'none', norm: 'none', softmax: 'vanilla' },
];

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('finite-difference gradient check (fp)', () => {
  it.each(CONFIGS.map((c, i) => [`${c.posEmbed}/${c.norm}/${c.softmax}`, i] as const))('%s', (_label, idx) => {
    const config = resolveModelConfig({
      vocabSize: 7,
      maxSeqLength: T,
      embedSize: 8,
      numHeads: 2,
      numLayers: 2,
      precision: 'fp',
      ...CONFIGS[idx],
    });
    const params = paramsFromRecord(randomRecord(config, 100 * (idx + 1)), config);
    try {
      const names = Object.keys(params).sort();
      const analytic: Record<string, Float32Array> = {};
      tf.tidy(() => {
        const { grads } = tf.variableGrads(lossValue(params, config), names.map((n) => params[n]));
        for (const n of names) analytic[n] = grads[params[n].name].dataSync() as Float32Array;
      });
      const gmax = Math.max(...names.map((n) => Math.max(...Array.from(analytic[n], Math.abs))));
      expect(gmax).toBeGreaterThan(1e-2);

      const problems: string[] = [];
      const within = (g: number, fd: number): boolean =>
        Math.abs(g - fd) <= REL_TOL * Math.max(Math.abs(g), Math.abs(fd), FLOOR_FRACTION * gmax);
      let largest = { g: 0, fd: 0 };
      let checked = 0;
      let pick = 12345 + idx;
      for (const n of names) {
        const v = params[n];
        const base = v.dataSync().slice() as Float32Array;
        for (let c = 0; c < COORDS_PER_PARAM; c++) {
          pick = (Math.imul(pick, 1103515245) + 12345) >>> 0;
          const i = pick % base.length;
          const w = base[i];
          const at = (k: number): number => {
            withValue(v, base, i, w + k * H);
            return evalLoss(params, config);
          };
          const fd = (8 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12 * H);
          withValue(v, base, i, w);
          const g = analytic[n][i];
          if (!within(g, fd) || !Number.isFinite(fd)) {
            problems.push(`${n}[${i}]: autodiff ${g}, finite difference ${fd}`);
          }
          if (Math.abs(g) > Math.abs(largest.g)) largest = { g, fd };
          checked++;
        }
      }
      expect(checked).toBe(names.length * COORDS_PER_PARAM);
      expect(problems).toEqual([]);
      // the check can fail: a gradient 3% off is rejected
      expect(within(largest.g * 1.03, largest.fd)).toBe(false);
    } finally {
      disposeParams(params);
    }
  });
});
