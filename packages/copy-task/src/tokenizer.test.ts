import { CopyTaskError } from './errors';
import { createTokenizer } from './tokenizer';

describe('createTokenizer', () => {
  it('defaults to a..z (ids 0..25) plus & (id 26)', () => {
    const t = createTokenizer();
    expect(t.vocabSize).toBe(27);
    expect(t.inductionId).toBe(26);
    expect(t.inductionToken).toBe('&');
    expect(t.symbols.join('')).toBe('abcdefghijklmnopqrstuvwxyz&');
    expect(Array.from(t.encode('az&b'))).toEqual([0, 25, 26, 1]);
    expect(t.encode('az&b')).toBeInstanceOf(Int32Array);
    expect(t.decode([0, 25, 26, 1])).toBe('az&b');
    expect(t.decode(new Int32Array([2, 26]))).toBe('c&');
    expect(t.encode('')).toHaveLength(0);
  });

  it('round-trips custom vocabularies, including astral characters', () => {
    const t = createTokenizer(['x', '\u{1F600}', 'é'], '|');
    expect(t.vocabSize).toBe(4);
    expect(t.inductionId).toBe(3);
    const text = 'x\u{1F600}|é';
    expect(Array.from(t.encode(text))).toEqual([0, 1, 3, 2]);
    expect(t.decode(t.encode(text))).toBe(text);
  });

  it('has frozen symbols', () => {
    expect(Object.isFrozen(createTokenizer().symbols)).toBe(true);
  });

  it('rejects unknown characters and ids', () => {
    const t = createTokenizer();
    expect(() => t.encode('aB')).toThrow(CopyTaskError);
    expect(() => t.encode('aB')).toThrow(/character 1 is "B", not one of "abcdefghijklmnopqrstuvwxyz&"/);
    expect(() => t.encode(5 as unknown as string)).toThrow(/Invalid text/);
    expect(() => t.decode([27])).toThrow('Invalid ids[0]: got 27; expected a token id in 0..26.');
    expect(() => t.decode([0, -1])).toThrow(/Invalid ids\[1\]/);
    expect(() => t.decode([1.5])).toThrow(CopyTaskError);
    expect(() => t.decode(null as unknown as number[])).toThrow(/Invalid ids/);
  });

  it('rejects bad vocabularies and induction tokens', () => {
    expect(() => createTokenizer(['a', 'a'])).toThrow(/appears more than once/);
    expect(() => createTokenizer(['a', 'bc'])).toThrow(/Invalid vocabulary\[1\]/);
    expect(() => createTokenizer([])).toThrow(/Invalid vocabulary/);
    expect(() => createTokenizer(['a'], 'a')).toThrow(/not in the vocabulary/);
    expect(() => createTokenizer(['a'], '')).toThrow(/Invalid inductionToken/);
  });
});
