import { detectHeads, labelHeads, previousTokenScores } from './detect-heads';
import { readAttention } from './attention-input';
import { buildAttention, inductionRow, oneHotRow, prng, thrown, uniformRow } from './test-fixtures';

const T = 12;

/** Sequences of random tokens repeated twice (period 6). */
function repeatedTokens(batch: number): number[][] {
  const rand = prng(5);
  return Array.from({ length: batch }, () => {
    const half = Array.from({ length: T / 2 }, () => Math.floor(rand() * 1000));
    return [...half, ...half];
  });
}

function duplicateRow(tokens: number[], t: number): Float64Array {
  const keys: number[] = [];
  for (let j = 0; j < t; j++) if (tokens[j] === tokens[t]) keys.push(j);
  if (keys.length === 0) return oneHotRow(t, T);
  const r = new Float64Array(T);
  for (const j of keys) r[j] = 1 / keys.length;
  return r;
}

// heads: 0 previous-token, 1 duplicate-token, 2 induction, 3 uniform
function fourHeads(tokens: number[][], layers?: number) {
  return buildAttention({ layers, batch: tokens.length, heads: 4, length: T }, (_l, b, h, t) => {
    if (h === 0) return oneHotRow(Math.max(t - 1, 0), T);
    if (h === 1) return duplicateRow(tokens[b], t);
    if (h === 2) return inductionRow(tokens[b], t, T);
    return uniformRow(t, T);
  });
}

describe('detectHeads', () => {
  it('separates previous-token, duplicate-token and induction heads', () => {
    const tokens = repeatedTokens(3);
    const r = detectHeads(fourHeads(tokens), { tokens });
    expect(r).toMatchObject({ layered: false, layers: 1, heads: 4 });
    expect(r.previousToken.shape).toEqual([4]);
    const prev = Array.from(r.previousToken.scores);
    const dup = Array.from(r.duplicateToken.scores);
    const ind = Array.from(r.induction.scores);
    expect(prev[0]).toBeCloseTo(1, 6);
    expect(dup[1]).toBeCloseTo(1, 6);
    expect(ind[2]).toBeCloseTo(1, 6);
    // off-diagonal: each head scores low on the other kinds
    expect(prev[1]).toBeLessThan(0.2);
    expect(prev[2]).toBeLessThan(0.2);
    expect(dup[0]).toBeLessThan(0.2);
    expect(dup[2]).toBeLessThan(0.2);
    expect(ind[0]).toBeLessThan(0.2);
    expect(ind[1]).toBeLessThan(0.2);
    // uniform head, closed form of the previous-token score: mean_{t=1..T-1} 1/(t+1)
    let s = 0;
    for (let t = 1; t < T; t++) s += 1 / (t + 1);
    expect(prev[3]).toBeCloseTo(s / (T - 1), 6);
    expect(r.induction.sampleCount).toBe(3);
  });

  it('labels heads by threshold', () => {
    const tokens = repeatedTokens(2);
    const r = detectHeads(fourHeads(tokens, 2), { tokens, perSample: true });
    expect(r.previousToken.shape).toEqual([2, 4]);
    expect(r.induction.perSampleShape).toEqual([2, 4, 2]);
    const labels = labelHeads(r, 0.5);
    expect(labels).toHaveLength(8);
    expect(labels.map((l) => l.kinds)).toEqual([
      ['previousToken'],
      ['duplicateToken'],
      ['induction'],
      [],
      ['previousToken'],
      ['duplicateToken'],
      ['induction'],
      [],
    ]);
    expect(labels[6]).toMatchObject({ layer: 1, head: 2 });
    expect(labels[6].induction).toBeCloseTo(1, 6);
    const onlyInduction = labelHeads(r, { induction: 0.9 });
    expect(onlyInduction.filter((l) => l.kinds.length > 0).map((l) => [l.layer, l.head])).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('handles a leading BOS in the previous-token score', () => {
    const att = buildAttention({ batch: 1, heads: 1, length: 4 }, (_l, _b, _h, t) => oneHotRow(Math.max(t - 1, 0), 4));
    expect(previousTokenScores(readAttention(att)).scores[0]).toBeCloseTo(1, 6);
  });

  it('validates and rejects bad input', () => {
    const tokens = repeatedTokens(1);
    const att = fourHeads(tokens);
    att.data[T * T + 3] = 2;
    expect(thrown(() => detectHeads(att, { tokens })).code).toBe('BAD_VALUE');
    expect(() => detectHeads(att, { tokens, validate: false })).not.toThrow();
    expect(thrown(() => detectHeads(att, {} as never)).message).toMatch(/without tokens; expected \{ tokens/);
    expect(thrown(() => detectHeads(att, { tokens, perSample: 'no' as never })).code).toBe('BAD_OPTION');
    expect(thrown(() => detectHeads(att, { tokens: [[1, 2]] })).code).toBe('BAD_SHAPE');
    const one = buildAttention({ batch: 1, heads: 1, length: 1 }, () => [1]);
    expect(thrown(() => detectHeads(one, { tokens: [[1]] })).message).toMatch(/at least 2 positions/);
  });

  it.each([
    [Number.NaN, /threshold for previousToken is NaN/],
    [1.5, /threshold for previousToken is 1.5; expected a number in \[0, 1\]/],
    ['high', /threshold is "high"/],
    [{ copying: 0.5 }, /unknown kind "copying"/],
  ])('labelHeads rejects threshold %p', (threshold, message) => {
    const tokens = repeatedTokens(1);
    const r = detectHeads(fourHeads(tokens), { tokens });
    const e = thrown(() => labelHeads(r, threshold as never));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toMatch(message);
  });
});
