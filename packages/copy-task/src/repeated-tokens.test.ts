import { CopyTaskError } from './errors';
import { repeatedRandomTokens } from './repeated-tokens';

describe('repeatedRandomTokens', () => {
  it('golden: rows [bos, r1..rn, r1..rn]', () => {
    const r = repeatedRandomTokens({ seed: 0, batch: 2, period: 4, vocabSize: 10, bos: 10 });
    expect(r.shape).toEqual([2, 9]);
    expect(r.period).toBe(4);
    expect(Array.from(r.tokens)).toEqual([10, 1, 5, 5, 1, 1, 5, 5, 1, 10, 5, 1, 8, 9, 5, 1, 8, 9]);
  });

  it('repeats each row with the period, tokens in range', () => {
    const period = 25;
    const r = repeatedRandomTokens({ seed: 3, batch: 8, period, vocabSize: 27 });
    const L = 2 * period;
    expect(r.shape).toEqual([8, L]);
    expect(r.tokens).toBeInstanceOf(Int32Array);
    expect(r.tokens).toHaveLength(8 * L);
    let bad = 0;
    for (let b = 0; b < 8; b++) {
      for (let j = 0; j < period; j++) {
        const x = r.tokens[b * L + j];
        if (x !== r.tokens[b * L + period + j] || x < 0 || x >= 27) bad++;
      }
    }
    expect(bad).toBe(0);
    expect(r.tokens.subarray(0, L)).not.toEqual(r.tokens.subarray(L, 2 * L));
  });

  it('without bos, the first row equals the bos rows shifted by one', () => {
    const a = repeatedRandomTokens({ seed: 9, batch: 1, period: 6, vocabSize: 5 });
    const b = repeatedRandomTokens({ seed: 9, batch: 1, period: 6, vocabSize: 5, bos: 0 });
    expect(b.tokens[0]).toBe(0);
    expect(b.tokens.subarray(1)).toEqual(a.tokens);
  });

  it('is deterministic; different seeds differ', () => {
    const o = { batch: 4, period: 10, vocabSize: 27 };
    expect(repeatedRandomTokens({ seed: 1, ...o }).tokens).toEqual(repeatedRandomTokens({ seed: 1, ...o }).tokens);
    expect(repeatedRandomTokens({ seed: 1, ...o }).tokens).not.toEqual(repeatedRandomTokens({ seed: 2, ...o }).tokens);
  });

  it.each([
    ['seed', -1],
    ['seed', undefined],
    ['batch', 0],
    ['period', 0],
    ['period', 1.5],
    ['vocabSize', 0],
    ['bos', -1],
    ['bos', 0.5],
  ])('rejects %s = %p', (option, value) => {
    const options = { seed: 0, batch: 2, period: 3, vocabSize: 5, [option]: value };
    let err: unknown;
    try {
      repeatedRandomTokens(options as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CopyTaskError);
    expect((err as CopyTaskError).option).toBe(option);
    expect((err as CopyTaskError).message).toMatch(new RegExp(`^Invalid ${option}: got `));
  });

  it('rejects unknown options', () => {
    expect(() => repeatedRandomTokens({ seed: 0, batch: 1, period: 2, vocabSize: 3, length: 4 } as never)).toThrow(
      /Invalid length/,
    );
  });
});
