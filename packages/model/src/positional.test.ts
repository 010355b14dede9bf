import * as tf from '@tensorflow/tfjs-core';
import { sinusoidalEncoding, sinusoidalTable } from './positional';
import { useCpu } from './test-setup';

beforeAll(useCpu);

describe('sinusoidalTable', () => {
  it('puts sin on even dims and cos on odd dims with base 10000', () => {
    const t = sinusoidalTable(7, 6);
    for (let pos = 0; pos < 7; pos++) {
      for (let i = 0; i < 3; i++) {
        const angle = pos / 10000 ** ((2 * i) / 6);
        expect(t[pos * 6 + 2 * i]).toBeCloseTo(Math.sin(angle), 6);
        expect(t[pos * 6 + 2 * i + 1]).toBeCloseTo(Math.cos(angle), 6);
      }
    }
    // position 0: sin 0 = 0, cos 0 = 1
    expect(Array.from(t.subarray(0, 6))).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('handles an odd dimension (last dim is a sin)', () => {
    const t = sinusoidalTable(3, 5);
    expect(t[2 * 5 + 4]).toBeCloseTo(Math.sin(2 / 10000 ** (4 / 5)), 6);
  });

  it('sinusoidalEncoding is the table as a [T, d] tensor', () => {
    const e = sinusoidalEncoding(4, 8);
    expect(e.shape).toEqual([4, 8]);
    expect(Array.from(e.dataSync())).toEqual(Array.from(sinusoidalTable(4, 8)));
    e.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });
});
