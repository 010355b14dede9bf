export { CopyTaskError, type CopyTaskErrorCode } from './errors';
export {
  COPY_TASK_DEFAULTS,
  DEFAULT_INDUCTION_TOKEN,
  DEFAULT_VOCABULARY,
  resolveCopyTaskOptions,
  type CopyTaskOptions,
  type ResolvedCopyTaskOptions,
} from './options';
export { createPrng, deriveSeed, type Prng, type PrngState } from './prng';
export { createTokenizer, type Tokenizer } from './tokenizer';
export { generateCopyTask, type CopyTask, type CopyTaskSplit } from './copy-task';
export {
  batchCount,
  batchIterator,
  epochPermutation,
  type Batch,
  type BatchIterable,
  type BatchOptions,
} from './batches';
export { repeatedRandomTokens, type RepeatedTokens, type RepeatedTokensOptions } from './repeated-tokens';
