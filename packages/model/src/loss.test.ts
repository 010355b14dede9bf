import * as tf from '@tensorflow/tfjs-core';
import { ModelInputError } from './errors';
import { crossEntropyLoss, targetNll, tokenNll } from './loss';
import { useCpu } from './test-setup';

beforeAll(useCpu);

const B = 2;
const T = 3;
const V = 4;
const LOGITS = Float32Array.from({ length: B * T * V }, (_, i) => Math.sin(i * 1.7) * 3);
const LABELS = Int32Array.from([0, 3, 1, 2, 2, 0]);
const QUERY = Int32Array.from([2, 1]);

function manualNll(b: number, t: number): number {
  const row = Array.from(LOGITS.subarray((b * T + t) * V, (b * T + t + 1) * V));
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
  return lse - row[LABELS[b * T + t]];
}

describe('cross-entropy', () => {
  const logits = (): tf.Tensor3D => tf.tensor3d(LOGITS, [B, T, V]);

  it("'all' is the mean NLL over B*T positions", () => {
    const l = logits();
    const loss = crossEntropyLoss(l, LABELS, { mode: 'all' });
    let sum = 0;
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) sum += manualNll(b, t);
    expect(loss.dataSync()[0]).toBeCloseTo(sum / (B * T), 5);
    const nll = tokenNll(l, LABELS).dataSync();
    expect(nll[4]).toBeCloseTo(manualNll(1, 1), 5);
    tf.dispose([l, loss]);
  });

  it("'target' is the mean NLL at each sample's query position", () => {
    const l = logits();
    const loss = crossEntropyLoss(l, LABELS, { mode: 'target', queryPos: QUERY });
    expect(loss.dataSync()[0]).toBeCloseTo((manualNll(0, 2) + manualNll(1, 1)) / 2, 5);
    const per = targetNll(l, LABELS, QUERY).dataSync();
    expect(per[1]).toBeCloseTo(manualNll(1, 1), 5);
    tf.dispose([l, loss]);
  });

  it('is stable for huge logits and its gradient is softmax - onehot', () => {
    const big = tf.tensor3d([[[1000, 0, -1000]]]);
    const loss = crossEntropyLoss(big, Int32Array.from([1]), { mode: 'all' });
    expect(loss.dataSync()[0]).toBeCloseTo(1000, 3);
    const g = tf.grad((x: tf.Tensor) => crossEntropyLoss(x, Int32Array.from([1]), { mode: 'all' }))(
      tf.tensor3d([[[1, 2, 3]]]),
    );
    const e = [1, 2, 3].map(Math.exp);
    const z = e[0] + e[1] + e[2];
    Array.from(g.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(e[i] / z - (i === 1 ? 1 : 0), 5));
    tf.dispose([big, loss, g]);
  });

  it('only the query position gets gradient in target mode', () => {
    const l = logits();
    const g = tf.grad((x: tf.Tensor) => crossEntropyLoss(x, LABELS, { mode: 'target', queryPos: QUERY }))(l);
    const data = g.dataSync();
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const s = Array.from(data.subarray((b * T + t) * V, (b * T + t + 1) * V)).reduce((a, x) => a + Math.abs(x), 0);
        if (t === QUERY[b]) expect(s).toBeGreaterThan(0.01);
        else expect(s).toBe(0);
      }
    }
    tf.dispose([l, g]);
  });

  it('validates labels and query positions', () => {
    const l = logits();
    expect(() => crossEntropyLoss(l, Int32Array.from([0, 4, 0, 0, 0, 0]), { mode: 'all' })).toThrow(ModelInputError);
    expect(() => crossEntropyLoss(l, LABELS, { mode: 'target' })).toThrow(/queryPos/);
    expect(() => crossEntropyLoss(l, LABELS, { mode: 'target', queryPos: Int32Array.from([3, 0]) })).toThrow(/outside 0..2/);
    l.dispose();
  });
});
