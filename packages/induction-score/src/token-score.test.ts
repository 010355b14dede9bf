import { readAttention } from './attention-input';
import { matchedKeyScores, tokenScores } from './token-score';
import {
  buildAttention,
  copySentence,
  inductionRow,
  prng,
  randomCausalRow,
  thrown,
  uniformRow,
} from './test-fixtures';

/** Direct transcription of the definition, for comparison. */
function reference(A: (b: number, t: number, j: number) => number, tokens: number[][], shift: 0 | 1): number {
  let total = 0;
  let samples = 0;
  tokens.forEach((tok, b) => {
    let s = 0;
    let q = 0;
    for (let t = 0; t < tok.length; t++) {
      let m = 0;
      let any = false;
      for (let j = shift; j <= t - 1 + shift; j++) {
        if (tok[j - shift] === tok[t]) {
          m += A(b, t, j);
          any = true;
        }
      }
      if (any) {
        s += m;
        q++;
      }
    }
    if (q > 0) {
      total += s / q;
      samples++;
    }
  });
  return total / samples;
}

describe('tokenScores', () => {
  it('scores a perfect induction head 1', () => {
    const T = 29;
    const rand = prng(7);
    const tokens = Array.from({ length: 5 }, () => copySentence(rand, T).tokens);
    const att = buildAttention({ batch: 5, heads: 1, length: T }, (_l, b, _h, t) => inductionRow(tokens[b], t, T));
    const r = tokenScores(readAttention(att), Int32Array.from(tokens.flat()));
    expect(r.scores[0]).toBeCloseTo(1, 6);
    expect(r.sampleCount).toBe(5);
  });

  it('matches a hand-computed case', () => {
    // tokens 1 2 1 1: query 2 -> key 1 (tokens[0] = 1); query 3 -> keys 1 and 3
    const rows = [
      [1, 0, 0, 0],
      [0.5, 0.5, 0, 0],
      [0.2, 0.7, 0.1, 0],
      [0.1, 0.2, 0.3, 0.4],
    ];
    const att = buildAttention({ batch: 1, heads: 1, length: 4 }, (_l, _b, _h, t) => rows[t]);
    const r = tokenScores(readAttention(att), Int32Array.from([1, 2, 1, 1]));
    expect(r.scores[0]).toBeCloseTo((0.7 + (0.2 + 0.4)) / 2, 6);
    // duplicate-token variant: query 2 -> key 0; query 3 -> keys 0 and 2
    const d = matchedKeyScores(readAttention(att), Int32Array.from([1, 2, 1, 1]), 0);
    expect(d.scores[0]).toBeCloseTo((0.2 + (0.1 + 0.3)) / 2, 6);
  });

  it('has the closed form m_t / (t + 1) for uniform causal attention', () => {
    // tokens 3 4 3 4 4: matches (j with tokens[j-1] == tokens[t], 1 <= j <= t):
    // t=2: j=1 (1 key); t=3: j=2; t=4: j=2, j=4 -> (1/3 + 1/4 + 2/5) / 3
    const att = buildAttention({ batch: 1, heads: 1, length: 5 }, (_l, _b, _h, t) => uniformRow(t, 5));
    const r = tokenScores(readAttention(att), Int32Array.from([3, 4, 3, 4, 4]));
    expect(r.scores[0]).toBeCloseTo((1 / 3 + 1 / 4 + 2 / 5) / 3, 6);
  });

  it('handles a leading BOS naturally', () => {
    // BOS a b a b: t=3 -> key 2, t=4 -> key 3; BOS itself never matches
    const att = buildAttention({ batch: 1, heads: 1, length: 5 }, (_l, _b, _h, t) => uniformRow(t, 5));
    const r = tokenScores(readAttention(att), Int32Array.from([99, 1, 2, 1, 2]));
    expect(r.scores[0]).toBeCloseTo((1 / 4 + 1 / 5) / 2, 6);
  });

  it('agrees with the definition on random attention, layers and heads', () => {
    const T = 12;
    const rand = prng(3);
    const tokens = Array.from({ length: 4 }, () => Array.from({ length: T }, () => Math.floor(rand() * 4)));
    const att = buildAttention({ layers: 2, batch: 4, heads: 3, length: T }, (_l, _b, _h, t) => randomCausalRow(rand, t, T));
    const r = tokenScores(readAttention(att), Int32Array.from(tokens.flat()), true);
    expect(r.shape).toEqual([2, 3]);
    expect(r.perSampleShape).toEqual([2, 3, 4]);
    for (let l = 0; l < 2; l++)
      for (let h = 0; h < 3; h++) {
        const A = (b: number, t: number, j: number) => att.data[((((l * 4 + b) * 3 + h) * T + t) * T) + j];
        expect(r.scores[l * 3 + h]).toBeCloseTo(reference(A, tokens, 1), 5);
      }
  });

  it('excludes and counts samples without a repeated token', () => {
    const att = buildAttention({ batch: 3, heads: 1, length: 3 }, (_l, _b, _h, t) => uniformRow(t, 3));
    const tokens = Int32Array.from([1, 2, 3, /**/ 1, 2, 1, /**/ 4, 5, 6]);
    const r = tokenScores(readAttention(att), tokens, true);
    expect(r.sampleCount).toBe(1);
    expect(r.excludedSamples).toBe(2);
    expect(r.scores[0]).toBeCloseTo(1 / 3, 6);
    expect(Number.isNaN(r.perSample![0])).toBe(true);
    expect(r.perSample![1]).toBeCloseTo(1 / 3, 6);
    expect(Number.isNaN(r.perSample![2])).toBe(true);
  });

  it('returns NaN scores when every sample is excluded', () => {
    const att = buildAttention({ batch: 1, heads: 2, length: 3 }, (_l, _b, _h, t) => uniformRow(t, 3));
    const r = tokenScores(readAttention(att), Int32Array.from([1, 2, 3]));
    expect(r.sampleCount).toBe(0);
    expect(r.excludedSamples).toBe(1);
    expect(Number.isNaN(r.scores[0])).toBe(true);
  });

  it('needs square attention', () => {
    const att = readAttention({ data: new Float32Array(6), shape: [1, 1, 2, 3] });
    const e = thrown(() => tokenScores(att, Int32Array.from([1, 1])));
    expect(e.code).toBe('BAD_SHAPE');
    expect(e.message).toMatch(/query = key = sequence length; got query 2, key 3/);
  });
});
