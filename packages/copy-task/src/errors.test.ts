import { CopyTaskError, describeValue } from './errors';

describe('CopyTaskError', () => {
  it('carries code, option, value and a message naming both', () => {
    const err = new CopyTaskError('batchSize', 0, 'an integer >= 1');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(CopyTaskError);
    expect(err.name).toBe('CopyTaskError');
    expect(err.code).toBe('INVALID_OPTION');
    expect(err.option).toBe('batchSize');
    expect(err.value).toBe(0);
    expect(err.message).toBe('Invalid batchSize: got 0; expected an integer >= 1.');
  });
});

describe('describeValue', () => {
  it('renders values readably', () => {
    expect(describeValue('ab')).toBe('"ab"');
    expect(describeValue(1.5)).toBe('1.5');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(3n)).toBe('3n');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(['a', 1])).toBe('["a", 1]');
    expect(describeValue(Array.from({ length: 10 }, (_, i) => i))).toBe(
      '[0, 1, 2, 3, 4, 5, 6, 7, ... (10 items)]',
    );
    expect(describeValue(new Int32Array(2))).toBe('a Int32Array');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue({ a: 1 })).toBe('an object');
  });
});
