import { readAttention } from './attention-input';
import { stripeScores } from './stripe-score';
import { buildAttention, oneHotRow, thrown, uniformRow } from './test-fixtures';

describe('stripeScores', () => {
  it('scores a perfect induction head 1 on repeated random tokens', () => {
    const n = 4;
    const T = 3 * n; // three repeats
    const att = buildAttention({ batch: 2, heads: 2, length: T }, (_l, _b, h, t) =>
      h === 0 ? oneHotRow(t >= n ? t - n + 1 : 0, T) : oneHotRow(t > 0 ? t - 1 : 0, T),
    );
    const r = stripeScores(readAttention(att), n);
    expect(r.scores[0]).toBeCloseTo(1, 6);
    expect(r.scores[1]).toBe(0); // previous-token head: off the stripe (for n > 2)
    expect(r.sampleCount).toBe(2);
  });

  it('has the closed form mean_{t>=n} 1/(t+1) for uniform causal attention', () => {
    const T = 10;
    const n = 4;
    const att = buildAttention({ batch: 1, heads: 1, length: T }, (_l, _b, _h, t) => uniformRow(t, T));
    const r = stripeScores(readAttention(att), n, false, true);
    let s = 0;
    for (let t = n; t < T; t++) s += 1 / (t + 1);
    expect(r.scores[0]).toBeCloseTo(s / (T - n), 6);
    expect(r.perSample![0]).toBeCloseTo(s / (T - n), 6);
  });

  it('starts one query later after a BOS', () => {
    const T = 9;
    const n = 4; // BOS r0..r3 r0..r3
    const att = buildAttention({ batch: 1, heads: 1, length: T }, (_l, _b, _h, t) =>
      oneHotRow(t >= n + 1 ? t - n + 1 : t, T),
    );
    expect(stripeScores(readAttention(att), n, true).scores[0]).toBeCloseTo(1, 6);
    // without bos, query t = n (r3 of the first copy) would count and lower the score
    expect(stripeScores(readAttention(att), n, false).scores[0]).toBeCloseTo(4 / 5, 6);
  });

  it('keeps layers apart', () => {
    const T = 4;
    const att = buildAttention({ layers: 2, batch: 1, heads: 1, length: T }, (l, _b, _h, t) =>
      oneHotRow(l === 1 && t >= 2 ? t - 1 : 0, T),
    );
    const r = stripeScores(readAttention(att), 2);
    expect(r.shape).toEqual([2, 1]);
    expect(Array.from(r.scores)).toEqual([0, 1]);
  });

  it.each([
    [undefined, false, /period is undefined; the stripe definition needs an integer period in 1..4/],
    [0, false, /period is 0/],
    [2.5, false, /period is 2.5/],
    [5, false, /period is 5/],
    [4, true, /period is 4; .* in 1..3 \(sequence length 5, after a BOS\)/],
  ])('rejects period %p (bos %p)', (period, bos, message) => {
    const att = readAttention(buildAttention({ batch: 1, heads: 1, length: 5 }, (_l, _b, _h, t) => uniformRow(t, 5)));
    const e = thrown(() => stripeScores(att, period, bos));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toMatch(message);
  });

  it('rejects a non-boolean bos', () => {
    const att = readAttention(buildAttention({ batch: 1, heads: 1, length: 5 }, (_l, _b, _h, t) => uniformRow(t, 5)));
    expect(thrown(() => stripeScores(att, 2, 'yes' as never)).code).toBe('BAD_OPTION');
  });
});
