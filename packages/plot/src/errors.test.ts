import { PlotError, badOption, describeValue } from './errors';

describe('PlotError', () => {
  it('carries a code, an optional file and a cause', () => {
    const cause = new Error('inner');
    const e = new PlotError('CORRUPT_FILE', 'bad file', { file: '/x/scores.json', cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PlotError');
    expect(e.code).toBe('CORRUPT_FILE');
    expect(e.file).toBe('/x/scores.json');
    expect(e.cause).toBe(cause);
  });

  it('badOption names the option, the value and what is allowed', () => {
    expect(() => badOption('format', 'jpg', "'png', 'svg', 'both'")).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION', message: expect.stringContaining('"jpg"') }),
    );
    expect(() => badOption('format', 'jpg', "'png', 'svg', 'both'")).toThrow(/'png', 'svg', 'both'/);
  });

  it('describes values briefly', () => {
    expect(describeValue([1, 2, 3, 4, 5, 6, 7])).toBe('[1, 2, 3, 4, 5, 6, ... (7 items)]');
    expect(describeValue(new Float32Array(2))).toBe('a Float32Array');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(-0)).toBe('-0');
  });
});
