import { InductionScoreError, describeValue } from './errors';

describe('InductionScoreError', () => {
  it('is an Error with a code and a name', () => {
    const e = new InductionScoreError('BAD_SHAPE', 'bad');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(InductionScoreError);
    expect(e.code).toBe('BAD_SHAPE');
    expect(e.name).toBe('InductionScoreError');
    expect(e.message).toBe('bad');
  });
});

describe('describeValue', () => {
  it('renders values briefly', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(3)).toBe('3');
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue('y'.repeat(50))).toBe(`"${'y'.repeat(40)}..."`);
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue(new Int32Array(2))).toBe('an Int32Array');
    expect(describeValue(new Float32Array(2))).toBe('a Float32Array');
    expect(describeValue(() => 1)).toBe('a function');
    expect(describeValue({})).toBe('an object');
  });
});
