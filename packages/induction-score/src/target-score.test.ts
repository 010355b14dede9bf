import { readAttention } from './attention-input';
import { targetScores } from './target-score';
import { buildAttention, copySentence, inductionRow, oneHotRow, prng, thrown, uniformRow } from './test-fixtures';

describe('targetScores', () => {
  it('scores a perfect induction head 1 on copy-task sentences', () => {
    const T = 29;
    const rand = prng(1);
    const sentences = Array.from({ length: 6 }, () => copySentence(rand, T));
    const att = buildAttention({ batch: 6, heads: 2, length: T }, (_l, b, h, t) =>
      h === 0 ? inductionRow(sentences[b].tokens, t, T) : uniformRow(t, T),
    );
    const r = targetScores(
      readAttention(att),
      sentences.map((s) => s.queryPos),
      sentences.map((s) => s.keyPos),
    );
    expect(r.shape).toEqual([2]);
    expect(r.sampleCount).toBe(6);
    expect(r.excludedSamples).toBe(0);
    expect(r.scores[0]).toBeCloseTo(1, 6);
    // uniform causal attention: 1 / (queryPos + 1) = 1/29
    expect(r.scores[1]).toBeCloseTo(1 / 29, 6);
  });

  it('uses each sample with its own positions (closed form for uniform attention)', () => {
    const T = 6;
    const att = buildAttention({ batch: 3, heads: 1, length: T }, (_l, _b, _h, t) => uniformRow(t, T));
    const queryPos = [5, 2, 3];
    const keyPos = [1, 0, 4]; // the last lies after its query: masked, 0
    const r = targetScores(readAttention(att), queryPos, keyPos, true);
    const expected = [1 / 6, 1 / 3, 0];
    expect(r.scores[0]).toBeCloseTo((1 / 6 + 1 / 3 + 0) / 3, 6);
    expect(r.perSampleShape).toEqual([1, 3]);
    expected.forEach((v, b) => expect(r.perSample![b]).toBeCloseTo(v, 6));
  });

  it('keeps layers apart and lays per-sample values out as [layers, heads, batch]', () => {
    const T = 3;
    const att = buildAttention({ layers: 2, batch: 2, heads: 2, length: T }, (l, b, h) =>
      oneHotRow(l === 1 && h === 1 && b === 1 ? 2 : 0, T),
    );
    const r = targetScores(readAttention(att), [2, 2], [2, 2], true);
    expect(r.shape).toEqual([2, 2]);
    expect(Array.from(r.scores)).toEqual([0, 0, 0, 0.5]);
    expect(r.perSampleShape).toEqual([2, 2, 2]);
    expect(Array.from(r.perSample!)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('works when the key axis is longer than the query axis', () => {
    const data = new Float32Array([0.25, 0.75, 0, 0.5, 0.5, 0]);
    const r = targetScores(readAttention({ data, shape: [1, 1, 2, 3] }), [1], [0]);
    expect(r.scores[0]).toBeCloseTo(0.5, 6);
  });

  it.each([
    [undefined, [0, 0], 'BAD_OPTION', /queryPos is undefined; the target definition needs queryPos as an array of 2/],
    [[0, 0], 5, 'BAD_OPTION', /keyPos is 5/],
    [[0], [0, 0], 'BAD_SHAPE', /queryPos has 1 entries; expected one per sample \(batch = 2\)/],
    [[0, 4], [0, 0], 'BAD_INDEX', /queryPos\[1\] is 4; expected an integer query position in 0..3/],
    [[0, 1], [0, -1], 'BAD_INDEX', /keyPos\[1\] is -1; expected an integer key position in 0..3/],
    [[0, 1.5], [0, 0], 'BAD_INDEX', /queryPos\[1\] is 1.5/],
  ])('rejects queryPos %p keyPos %p', (queryPos, keyPos, code, message) => {
    const att = readAttention(buildAttention({ batch: 2, heads: 1, length: 4 }, (_l, _b, _h, t) => uniformRow(t, 4)));
    const e = thrown(() => targetScores(att, queryPos as never, keyPos as never));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});
