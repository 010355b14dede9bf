import * as tf from '@tensorflow/tfjs-core';
import { bitLinear, bitLinearShared } from './bit-linear';
import type { BitLinearOptions } from './bit-linear';
import { quantizeActivations } from './activation-quantizer';
import { BitLinearError } from './errors';
import { layerNorm } from './layer-norm';
import { expectClose, seededValues, useCpu } from './test-setup';

beforeAll(useCpu);

const ROWS = 6;
const IN = 10;
const OUT = 7;
const xData = seededValues(ROWS * IN, 11, 2);
const wData = seededValues(IN * OUT, 12, 0.05);
const bData = seededValues(OUT, 13, 0.1);

/** bitLinear written out in float64, integer style: (x_q @ W_b) * beta * gamma / 127 + b. */
function manual(opts: { weightBits: 1 | 1.58; activationBits: 8 | null; scaling: 'per-token' | 'per-tensor' }): number[] {
  const ln: number[][] = [];
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from(xData.subarray(r * IN, (r + 1) * IN));
    const mean = row.reduce((a, v) => a + v, 0) / IN;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / IN;
    ln.push(row.map((v) => (v - mean) / Math.sqrt(variance + 1e-5)));
  }
  const absMax = (vs: number[]) => Math.max(1e-5, ...vs.map(Math.abs));
  const tensorGamma = absMax(ln.flat());
  const w = Array.from(wData);
  const beta = w.reduce((a, v) => a + Math.abs(v), 0) / w.length;
  const wMean = w.reduce((a, v) => a + v, 0) / w.length;
  const codes = w.map((v) =>
    opts.weightBits === 1 ? (v - wMean >= 0 ? 1 : -1) : Math.round(Math.max(-1, Math.min(1, v / beta))),
  );
  const out: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    const gamma = opts.scaling === 'per-token' ? absMax(ln[r]) : tensorGamma;
    const xs = opts.activationBits === null ? ln[r] : ln[r].map((v) => Math.max(-128, Math.min(127, Math.round((v * 127) / gamma))));
    const rescale = opts.activationBits === null ? beta : (beta * gamma) / 127;
    for (let o = 0; o < OUT; o++) {
      let acc = 0;
      for (let i = 0; i < IN; i++) acc += xs[i] * codes[i * OUT + o];
      out.push(acc * rescale + bData[o]);
    }
  }
  return out;
}

const x = () => tf.tensor2d(xData, [ROWS, IN]);
const w = () => tf.tensor2d(wData, [IN, OUT]);
const b = () => tf.tensor1d(bData);

describe('bitLinear forward', () => {
  for (const weightBits of [1, 1.58] as const) {
    for (const activationBits of [8, null] as const) {
      for (const scaling of ['per-token', 'per-tensor'] as const) {
        it(`matches the manual computation (weightBits ${weightBits}, activationBits ${activationBits}, ${scaling})`, () => {
          const y = bitLinear(x(), w(), b(), { weightBits, activationBits, activationScaling: scaling });
          expect(y.shape).toEqual([ROWS, OUT]);
          expectClose(y.dataSync(), manual({ weightBits, activationBits, scaling }), 1e-5);
        });
      }
    }
  }

  it('keeps leading axes and works without bias', () => {
    const y = bitLinear(tf.reshape(x(), [2, 3, IN]), w(), undefined, { weightBits: 1 });
    expect(y.shape).toEqual([2, 3, OUT]);
    const withBias = manual({ weightBits: 1, activationBits: 8, scaling: 'per-token' });
    expectClose(y.dataSync(), withBias.map((v, i) => v - bData[i % OUT]), 1e-5);
  });

  it('applies lnGain and lnBias before quantising', () => {
    const gain = tf.fill([IN], 2);
    const plain = bitLinear(x(), w(), undefined, { weightBits: 1, activationBits: null });
    const scaled = bitLinear(x(), w(), undefined, { weightBits: 1, activationBits: null, lnGain: gain, lnBias: tf.zeros([IN]) });
    expectClose(scaled.dataSync(), Array.from(plain.dataSync()).map((v) => 2 * v), 1e-5);
  });

  it('skips the LayerNorm with layerNorm: false', () => {
    const xs = tf.tensor2d([[1, -1]]);
    const y = bitLinear(xs, tf.tensor2d([[1], [-1]]), undefined, { weightBits: 1, activationBits: null, layerNorm: false });
    expect(Array.from(y.dataSync())).toEqual([2]);
  });
});

describe('bitLinear gradients', () => {
  const c = () => tf.tensor2d(seededValues(ROWS * OUT, 14), [ROWS, OUT]);
  const loss = (opts: BitLinearOptions) => (xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.mul(bitLinear(xs, ws, b(), opts), c()));

  it('passes straight through to the latent kernel: dW = Qa(LN(x))^T @ dy', () => {
    for (const weightBits of [1, 1.58] as const) {
      const [, gw] = tf.grads(loss({ weightBits }))([x(), w()]);
      const xq = quantizeActivations(layerNorm(x()));
      const expected = tf.matMul(tf.transpose(xq), c());
      expectClose(gw.dataSync(), expected.dataSync(), 1e-4);
      expect(tf.max(tf.abs(gw)).dataSync()[0]).toBeGreaterThan(0);
    }
  });

  it('frozen (the frozen-sign ablation) gives a zero kernel gradient but still trains the input', () => {
    for (const weightBits of [1, 1.58] as const) {
      const [gx, gw] = tf.grads(loss({ weightBits, frozen: true }))([x(), w()]);
      expect(Array.from(gw.dataSync()).every((v) => v === 0)).toBe(true);
      expect(tf.max(tf.abs(gx)).dataSync()[0]).toBeGreaterThan(0);
    }
  });

  it('frozen gives the same forward value', () => {
    const a = bitLinear(x(), w(), b(), { weightBits: 1 });
    const f = bitLinear(x(), w(), b(), { weightBits: 1, frozen: true });
    expect(Array.from(f.dataSync())).toEqual(Array.from(a.dataSync()));
  });

  it('leaks no tensors', () => {
    const xs = x();
    const ws = w();
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.grads(loss({ weightBits: 1 }))([xs, ws]);
    });
    bitLinear(xs, ws, undefined, { weightBits: 1.58 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('bitLinear options', () => {
  const run = (opts: unknown, kernel = w()) => () => bitLinear(x(), kernel, undefined, opts as BitLinearOptions);

  it('rejects weightBits 2, naming the valid values', () => {
    expect(run({ weightBits: 2 })).toThrow(BitLinearError);
    expect(run({ weightBits: 2 })).toThrow('weightBits must be one of 1, 1.58; got 2');
  });

  it('rejects activationBits 4', () => {
    expect(run({ weightBits: 1, activationBits: 4 })).toThrow('activationBits must be one of 8, null; got 4');
  });

  it('rejects an unknown scaling', () => {
    expect(run({ weightBits: 1, activationScaling: 'per-channel' })).toThrow(
      'activationScaling must be one of "per-token", "per-tensor"; got "per-channel"',
    );
  });

  it('rejects a kernel whose in-features do not match the input', () => {
    try {
      run({ weightBits: 1 }, tf.zeros([IN + 1, OUT]))();
      throw new Error('did not throw');
    } catch (e) {
      expect(e).toBeInstanceOf(BitLinearError);
      expect((e as BitLinearError).code).toBe('BAD_SHAPE');
      expect((e as Error).message).toMatch(/in-features 11.*\[6,10\]/);
    }
  });

  it('rejects a bias of the wrong length', () => {
    expect(() => bitLinear(x(), w(), tf.zeros([OUT + 1]), { weightBits: 1 })).toThrow(/bias must have shape \[7\]; got \[8\]/);
  });

  it('rejects missing options and a non-boolean frozen', () => {
    expect(run(undefined)).toThrow(/weightBits 1 or 1.58/);
    expect(run({ weightBits: 1, frozen: 'yes' })).toThrow('frozen must be one of true, false; got "yes"');
  });
});

describe('bitLinear input checks', () => {
  it('rejects a non-tensor input', () => {
    expect(() => bitLinear([1, 2] as unknown as tf.Tensor, tf.zeros([2, 2]), undefined, { weightBits: 1 })).toThrow(
      'input must be a tf.Tensor; got [1,2]',
    );
  });
});

describe('bitLinear on the wasm backend', () => {
  it('gives the cpu forward and gradients', async () => {
    require('@tensorflow/tfjs-backend-wasm');
    const run = () => {
      const f = (xs: tf.Tensor, ws: tf.Tensor) =>
        tf.sum(tf.mul(bitLinear(xs, ws, b(), { weightBits: 1.58 }), tf.tensor2d(seededValues(ROWS * OUT, 15), [ROWS, OUT])));
      const [gx, gw] = tf.grads(f)([x(), w()]);
      return [f(x(), w()).dataSync()[0], Array.from(gx.dataSync()), Array.from(gw.dataSync())] as const;
    };
    const cpu = run();
    await tf.setBackend('wasm');
    try {
      const wasm = run();
      expect(wasm[0]).toBeCloseTo(cpu[0], 4);
      expectClose(wasm[1], cpu[1], 1e-4);
      expectClose(wasm[2], cpu[2], 1e-4);
    } finally {
      await useCpu();
    }
  });
});

describe('bitLinearShared', () => {
  const w2Data = seededValues(IN * 5, 21, 0.3);
  const b2Data = seededValues(5, 22, 0.1);
  const w2 = () => tf.tensor2d(w2Data, [IN, 5]);
  const b2 = () => tf.tensor1d(b2Data);
  const weights = tf.tensor2d(seededValues(ROWS * (OUT + 5), 23), [ROWS, OUT + 5]);

  it.each([1, 1.58] as const)('equals separate bitLinear calls in value and every gradient (weightBits %s)', (weightBits) => {
    const opts: BitLinearOptions = { weightBits };
    const fused = (xs: tf.Tensor, w1: tf.Tensor, k2: tf.Tensor, c1: tf.Tensor, c2: tf.Tensor) =>
      tf.sum(tf.mul(tf.concat(bitLinearShared(xs, [w1, k2], [c1, c2], opts), -1), weights));
    const separate = (xs: tf.Tensor, w1: tf.Tensor, k2: tf.Tensor, c1: tf.Tensor, c2: tf.Tensor) =>
      tf.sum(tf.mul(tf.concat([bitLinear(xs, w1, c1, opts), bitLinear(xs, k2, c2, opts)], -1), weights));
    const args = [x(), w(), w2(), b(), b2()];
    const y = tf.concat(bitLinearShared(args[0], [args[1], args[2]], [args[3], args[4]], opts), -1);
    const r = tf.concat([bitLinear(args[0], args[1], args[3], opts), bitLinear(args[0], args[2], args[4], opts)], -1);
    expect(y.shape).toEqual([ROWS, OUT + 5]);
    expectClose(y.dataSync(), r.dataSync(), 1e-6);
    const got = tf.grads(fused)(args);
    const want = tf.grads(separate)(args);
    for (let i = 0; i < args.length; i++) expectClose(got[i].dataSync(), want[i].dataSync(), 1e-5);
  });

  it('quantises each kernel with its own mean and beta (not the concatenation\'s)', () => {
    // w2 has 6x the scale of w: a shared beta would change both halves
    const y = tf.concat(bitLinearShared(x(), [w(), w2()], undefined, { weightBits: 1 }), -1);
    const own = bitLinear(x(), w(), undefined, { weightBits: 1 });
    const shared = bitLinear(x(), tf.concat([w(), w2()], 1), undefined, { weightBits: 1 });
    expectClose(tf.slice(y, [0, 0], [ROWS, OUT]).dataSync(), own.dataSync(), 1e-6);
    expect(() => expectClose(y.dataSync(), shared.dataSync(), 1e-3)).toThrow();
  });

  it('frozen: no gradient to any kernel', () => {
    const f = (k1: tf.Tensor, k2: tf.Tensor) => tf.sum(tf.concat(bitLinearShared(x(), [k1, k2], undefined, { weightBits: 1, frozen: true }), -1));
    const [g1, g2] = tf.grads(f)([w(), w2()]);
    expect(Array.from(g1.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(g2.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('rejects an empty kernel list and a bias list of the wrong length', () => {
    expect(() => bitLinearShared(x(), [], undefined, { weightBits: 1 })).toThrow(BitLinearError);
    expect(() => bitLinearShared(x(), [w(), w2()], [b()], { weightBits: 1 })).toThrow(/one \[out\] tensor per kernel \(2\)/);
    expect(() => bitLinearShared(x(), [w(), w2()], [b(), b()], { weightBits: 1 })).toThrow(/bias must have shape \[5\]; got \[7\]/);
  });
});
