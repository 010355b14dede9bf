import * as api from './index';

describe('public API', () => {
  it('exports exactly the documented values', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'COPY_TASK_DEFAULTS',
        'CopyTaskError',
        'DEFAULT_INDUCTION_TOKEN',
        'DEFAULT_VOCABULARY',
        'batchCount',
        'batchIterator',
        'createPrng',
        'createTokenizer',
        'deriveSeed',
        'epochPermutation',
        'generateCopyTask',
        'repeatedRandomTokens',
        'resolveCopyTaskOptions',
      ].sort(),
    );
  });

  it('works end to end: dataset -> batches -> decode', () => {
    const { train, tokenizer } = api.generateCopyTask({ count: 64, seed: 2 });
    const [batch] = api.batchIterator(train, { batchSize: 8, seed: 2 });
    const text = tokenizer.decode(batch.inputs.subarray(0, 29));
    expect(text).toHaveLength(29);
    expect(text[28]).toBe('&');
    expect(tokenizer.decode([batch.labels[28]])).toBe(text[batch.keyPos[0]]);
  });
});
