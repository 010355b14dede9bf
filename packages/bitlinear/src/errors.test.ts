import { BitLinearError, checkOneOf } from './errors';

describe('BitLinearError', () => {
  it('carries a code and names the bad and valid values', () => {
    try {
      checkOneOf('weightBits', 2, [1, 1.58]);
      throw new Error('did not throw');
    } catch (e) {
      expect(e).toBeInstanceOf(BitLinearError);
      expect(e).toBeInstanceOf(Error);
      expect((e as BitLinearError).code).toBe('INVALID_OPTION');
      expect((e as BitLinearError).name).toBe('BitLinearError');
      expect((e as Error).message).toBe('weightBits must be one of 1, 1.58; got 2');
    }
  });

  it('is recognised across copies of the class but not for other errors', () => {
    const { BitLinearError: Copy } = jest.requireActual<typeof import('./errors')>('./errors');
    jest.isolateModules(() => {
      const other = require('./errors') as typeof import('./errors');
      expect(new other.BitLinearError('BAD_VALUE', 'x')).toBeInstanceOf(Copy);
      expect(other.BitLinearError).not.toBe(Copy);
    });
    const plain = Object.assign(new Error('x'), { code: 'BAD_VALUE' });
    expect(plain).not.toBeInstanceOf(BitLinearError);
  });
});
