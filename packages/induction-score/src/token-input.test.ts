import { readTokens } from './token-input';
import { thrown } from './test-fixtures';

describe('readTokens', () => {
  it('uses an Int32Array of the right length in place', () => {
    const t = new Int32Array(6);
    expect(readTokens(t, 2, 3)).toBe(t);
  });

  it('reads flat numbers, typed arrays and nested rows', () => {
    expect(Array.from(readTokens([1, 2, 3, 4], 2, 2))).toEqual([1, 2, 3, 4]);
    expect(Array.from(readTokens(new Uint8Array([5, 6]), 1, 2))).toEqual([5, 6]);
    expect(Array.from(readTokens([[1, 2], [3, -4]], 2, 2))).toEqual([1, 2, 3, -4]);
  });

  it.each([
    [new Int32Array(5), 'BAD_SHAPE', /tokens has 5 entries; expected \[batch, query\] = \[2, 3\].*6 entries/],
    [[1, 2, 3], 'BAD_SHAPE', /tokens has 3 entries/],
    [[[1, 2, 3]], 'BAD_SHAPE', /tokens has 1 rows; expected \[batch, query\] = \[2, 3\]/],
    [[[1, 2, 3], [1, 2]], 'BAD_SHAPE', /tokens\[1\] is an array of length 2/],
    [[[1, 2, 3], [1, 2.5, 3]], 'BAD_VALUE', /tokens\[1\]\[1\] is 2.5; expected an integer token id/],
    [[1, 2, 3, 4, Number.NaN, 6], 'BAD_VALUE', /tokens\[4\] is NaN/],
    ['abc', 'BAD_VALUE', /tokens is "abc"; expected an Int32Array or number\[\]\[\]/],
    [undefined, 'BAD_VALUE', /tokens is undefined/],
  ])('rejects %p', (tokens, code, message) => {
    const e = thrown(() => readTokens(tokens, 2, 3));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('hints that tokens are the inputs at the attention positions', () => {
    const e = thrown(() => readTokens(new Int32Array(60), 2, 29));
    expect(e.message).toContain('copy-task inputs, not the full sentences');
  });
});
