import { CopyTaskError } from './errors';
import {
  COPY_TASK_DEFAULTS,
  DEFAULT_VOCABULARY,
  checkBoolean,
  checkOptionsObject,
  resolveCopyTaskOptions,
  type CopyTaskOptions,
} from './options';

function errorOf(fn: () => unknown): CopyTaskError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CopyTaskError) return e;
    throw e;
  }
  throw new Error('expected a CopyTaskError');
}

function bad(options: unknown): CopyTaskError {
  return errorOf(() => resolveCopyTaskOptions(options as CopyTaskOptions));
}

describe('resolveCopyTaskOptions', () => {
  it('defaults to the original recipe', () => {
    expect(resolveCopyTaskOptions()).toEqual({
      seed: 0,
      count: 6000,
      trainSize: 5500,
      evalSize: 500,
      seqLength: 30,
      prefixLength: 4,
      vocabulary: 'abcdefghijklmnopqrstuvwxyz'.split(''),
      inductionToken: '&',
    });
    expect(resolveCopyTaskOptions({})).toEqual(resolveCopyTaskOptions());
    expect(COPY_TASK_DEFAULTS.trainSize).toBe(5500);
    expect(DEFAULT_VOCABULARY).toHaveLength(26);
    expect(Object.isFrozen(DEFAULT_VOCABULARY)).toBe(true);
  });

  it('keeps given values and derives trainSize from count (11/12) when not given', () => {
    const r = resolveCopyTaskOptions({ seed: 9, count: 120, seqLength: 10, prefixLength: 7 });
    expect(r).toMatchObject({ seed: 9, count: 120, trainSize: 110, evalSize: 10, seqLength: 10, prefixLength: 7 });
    expect(resolveCopyTaskOptions({ count: 100 }).trainSize).toBe(91);
    expect(resolveCopyTaskOptions({ count: 10, trainSize: 10 }).evalSize).toBe(0);
    expect(resolveCopyTaskOptions({ count: 10, trainSize: 0 }).trainSize).toBe(0);
  });

  it('copies and freezes a custom vocabulary', () => {
    const vocab = ['x', 'y', '\u{1F600}'];
    const r = resolveCopyTaskOptions({ vocabulary: vocab, inductionToken: '#' });
    expect(r.vocabulary).toEqual(vocab);
    expect(r.vocabulary).not.toBe(vocab);
    expect(Object.isFrozen(r.vocabulary)).toBe(true);
    expect(r.inductionToken).toBe('#');
  });

  it.each([
    ['seed', -1, /Invalid seed: got -1; expected an integer in 0\.\.4294967295/],
    ['seed', 1.5, /got 1\.5/],
    ['seed', 2 ** 32, /got 4294967296/],
    ['seed', '3', /got "3"/],
    ['count', 0, /Invalid count: got 0; expected an integer >= 1/],
    ['count', 2.5, /Invalid count/],
    ['count', NaN, /got NaN/],
    ['count', Infinity, /got Infinity/],
    ['seqLength', 3, /Invalid seqLength: got 3; expected an integer >= 4/],
    ['seqLength', -30, /Invalid seqLength/],
    ['prefixLength', 0, /Invalid prefixLength: got 0; expected an integer in 1\.\.27 for seqLength 30/],
    ['prefixLength', 28, /Invalid prefixLength: got 28; expected an integer in 1\.\.27 for seqLength 30/],
    ['prefixLength', 1.5, /Invalid prefixLength/],
    ['trainSize', -1, /Invalid trainSize: got -1; expected an integer in 0\.\.6000 \(count is 6000\)/],
    ['trainSize', 6001, /Invalid trainSize: got 6001; expected an integer in 0\.\.6000/],
    ['trainSize', 0.5, /Invalid trainSize/],
  ])('rejects %s = %p', (option, value, message) => {
    const err = bad({ [option]: value });
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.option).toBe(option);
    expect(err.value).toBe(value);
    expect(err.message).toMatch(message);
  });

  it('rejects a prefix too long for the sequence', () => {
    const err = bad({ seqLength: 8, prefixLength: 6 });
    expect(err.option).toBe('prefixLength');
    expect(err.message).toMatch(/got 6; expected an integer in 1\.\.5 for seqLength 8/);
    expect(resolveCopyTaskOptions({ seqLength: 8, prefixLength: 5 }).prefixLength).toBe(5);
  });

  it('rejects trainSize > count', () => {
    const err = bad({ count: 10, trainSize: 11 });
    expect(err.option).toBe('trainSize');
    expect(err.message).toMatch(/got 11; expected an integer in 0\.\.10 \(count is 10\)/);
  });

  it('rejects bad vocabularies', () => {
    let err = bad({ vocabulary: [] });
    expect(err.option).toBe('vocabulary');
    expect(err.message).toMatch(/non-empty array of distinct one-character strings/);
    err = bad({ vocabulary: 'abc' });
    expect(err.option).toBe('vocabulary');
    err = bad({ vocabulary: ['a', 'b', 'a'] });
    expect(err.option).toBe('vocabulary');
    expect(err.message).toMatch(/"a" appears more than once \(again at index 2\)/);
    err = bad({ vocabulary: ['a', 'bc'] });
    expect(err.option).toBe('vocabulary[1]');
    expect(err.value).toBe('bc');
    expect(err.message).toMatch(/exactly one character/);
    err = bad({ vocabulary: ['a', ''] });
    expect(err.option).toBe('vocabulary[1]');
    err = bad({ vocabulary: ['a', 1] });
    expect(err.option).toBe('vocabulary[1]');
  });

  it('rejects bad induction tokens', () => {
    let err = bad({ inductionToken: 'a' });
    expect(err.option).toBe('inductionToken');
    expect(err.message).toMatch(/Invalid inductionToken: got "a"; expected a character that is not in the vocabulary/);
    err = bad({ vocabulary: ['x', '&'] });
    expect(err.option).toBe('inductionToken');
    err = bad({ inductionToken: '&&' });
    expect(err.message).toMatch(/exactly one character/);
    err = bad({ inductionToken: '' });
    expect(err.option).toBe('inductionToken');
  });

  it('rejects unknown keys and non-objects', () => {
    let err = bad({ seqLen: 30 });
    expect(err.option).toBe('seqLen');
    expect(err.message).toMatch(/a known option of options: seed, count, trainSize, seqLength, prefixLength, vocabulary, inductionToken/);
    err = bad(5);
    expect(err.option).toBe('options');
    err = bad(null);
    expect(err.option).toBe('options');
    err = bad([]);
    expect(err.option).toBe('options');
  });
});

describe('small validators', () => {
  it('checkBoolean', () => {
    expect(checkBoolean('x', false)).toBe(false);
    expect(() => checkBoolean('x', 1)).toThrow('Invalid x: got 1; expected true or false.');
  });
  it('checkOptionsObject', () => {
    expect(checkOptionsObject('o', undefined, ['a'])).toEqual({});
    expect(() => checkOptionsObject('o', { b: 1 }, ['a'])).toThrow(/Invalid b/);
  });
});
