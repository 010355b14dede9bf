/**
 * Option validation and resolution for the copy task, plus the small validators the
 * other modules share. Every failure throws {@link CopyTaskError} naming the option,
 * the bad value and what is allowed.
 */
import { CopyTaskError } from './errors';

/** Options of {@link generateCopyTask}; every field is optional. */
export interface CopyTaskOptions {
  /** PRNG seed, an integer in 0..2^32-1. Default 0. */
  seed?: number;
  /** Total number of sentences. Default 6000. */
  count?: number;
  /** Sentences in the train split (the first ones); the rest are eval. Default floor(count * 11 / 12) = 5500. */
  trainSize?: number;
  /** Tokens per sentence. Default 30. */
  seqLength?: number;
  /** len(pre) is uniform in 0..prefixLength-1. Default 4. */
  prefixLength?: number;
  /** Symbols the letters are drawn from, one character each (one Unicode code point). Default 'a'..'z'. */
  vocabulary?: readonly string[];
  /** The induction marker, one character not in the vocabulary; its id is vocabulary.length. Default '&'. */
  inductionToken?: string;
}

/** {@link CopyTaskOptions} with every default filled in. */
export interface ResolvedCopyTaskOptions {
  seed: number;
  count: number;
  trainSize: number;
  /** count - trainSize. */
  evalSize: number;
  seqLength: number;
  prefixLength: number;
  vocabulary: readonly string[];
  inductionToken: string;
}

/** The original recipe's vocabulary: 'a'..'z'. */
export const DEFAULT_VOCABULARY: readonly string[] = Object.freeze(
  Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i)),
);
/** The original recipe's induction marker. */
export const DEFAULT_INDUCTION_TOKEN = '&';

/** The original recipe (the defaults of {@link generateCopyTask}). */
export const COPY_TASK_DEFAULTS = Object.freeze({
  seed: 0,
  count: 6000,
  trainSize: 5500,
  seqLength: 30,
  prefixLength: 4,
  vocabulary: DEFAULT_VOCABULARY,
  inductionToken: DEFAULT_INDUCTION_TOKEN,
});

const OPTION_KEYS: readonly (keyof CopyTaskOptions)[] = [
  'seed',
  'count',
  'trainSize',
  'seqLength',
  'prefixLength',
  'vocabulary',
  'inductionToken',
];

/** Largest uint32, the largest allowed seed. */
export const MAX_SEED = 0xffffffff;

/**
 * Checks that `value` is an integer in `min..max` and returns it.
 * @throws CopyTaskError naming `option` otherwise.
 */
export function checkInteger(
  option: string,
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
  hint = '',
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
    throw new CopyTaskError(option, value, range + hint);
  }
  return value;
}

/** Checks a PRNG seed: an integer in 0..2^32-1. */
export function checkSeed(option: string, value: unknown): number {
  return checkInteger(option, value, 0, MAX_SEED);
}

/** Checks a boolean flag. */
export function checkBoolean(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new CopyTaskError(option, value, 'true or false');
  return value;
}

/** Checks that an options argument is a plain object (or undefined) with only known keys. */
export function checkOptionsObject(
  option: string,
  value: unknown,
  keys: readonly string[],
): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CopyTaskError(option, value, `an object with keys ${keys.join(', ')}`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new CopyTaskError(key, (value as Record<string, unknown>)[key], `a known option of ${option}: ${keys.join(', ')}`);
    }
  }
  return value as Record<string, unknown>;
}

function isSingleCodePoint(s: string): boolean {
  if (s.length === 0 || s.length > 2) return false;
  const cp = s.codePointAt(0) as number;
  return s.length === (cp > 0xffff ? 2 : 1);
}

/** Checks one symbol: a string of exactly one character (Unicode code point). */
export function checkSymbol(option: string, value: unknown): string {
  if (typeof value !== 'string' || !isSingleCodePoint(value)) {
    throw new CopyTaskError(option, value, 'a string of exactly one character (one Unicode code point)');
  }
  return value;
}

/** Checks a vocabulary: a non-empty array of distinct one-character strings. Returns a frozen copy. */
export function checkVocabulary(option: string, value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new CopyTaskError(option, value, 'a non-empty array of distinct one-character strings');
  }
  const seen = new Set<string>();
  value.forEach((symbol: unknown, i: number) => {
    checkSymbol(`${option}[${i}]`, symbol);
    if (seen.has(symbol as string)) {
      throw new CopyTaskError(
        option,
        value,
        `distinct symbols, but ${JSON.stringify(symbol)} appears more than once (again at index ${i})`,
      );
    }
    seen.add(symbol as string);
  });
  return Object.freeze([...(value as string[])]);
}

/** Checks an induction token against its vocabulary: one character, not in the vocabulary. */
export function checkInductionToken(option: string, value: unknown, vocabulary: readonly string[]): string {
  const token = checkSymbol(option, value);
  if (vocabulary.includes(token)) {
    throw new CopyTaskError(option, value, 'a character that is not in the vocabulary');
  }
  return token;
}

/**
 * Validates copy-task options and fills in the defaults (the original recipe).
 *
 * Rules: `seed` integer in 0..2^32-1; `count` integer >= 1; `trainSize` integer in
 * 0..count; `seqLength` integer >= 4; `prefixLength` integer in 1..seqLength-3 (the
 * longest prefix, prefixLength-1 tokens, plus `& m & m` must fit); `vocabulary` a
 * non-empty array of distinct one-character strings; `inductionToken` one character
 * not in the vocabulary. Unknown keys are rejected.
 * @throws CopyTaskError with code 'INVALID_OPTION'.
 */
export function resolveCopyTaskOptions(options?: CopyTaskOptions): ResolvedCopyTaskOptions {
  const o = checkOptionsObject('options', options, OPTION_KEYS);
  const d = COPY_TASK_DEFAULTS;
  const seed = checkSeed('seed', o.seed ?? d.seed);
  const count = checkInteger('count', o.count ?? d.count, 1);
  const trainSize =
    o.trainSize === undefined
      ? Math.floor((count * 11) / 12)
      : checkInteger('trainSize', o.trainSize, 0, count, ` (count is ${count})`);
  const seqLength = checkInteger('seqLength', o.seqLength ?? d.seqLength, 4);
  const prefixLength = checkInteger(
    'prefixLength',
    o.prefixLength ?? d.prefixLength,
    1,
    seqLength - 3,
    ` for seqLength ${seqLength} (a sentence is pre + [ind, m] + noise + [ind, m], len(pre) <= prefixLength-1)`,
  );
  const vocabulary =
    o.vocabulary === undefined ? DEFAULT_VOCABULARY : checkVocabulary('vocabulary', o.vocabulary);
  const inductionToken = checkInductionToken(
    'inductionToken',
    o.inductionToken ?? d.inductionToken,
    vocabulary,
  );
  return {
    seed,
    count,
    trainSize,
    evalSize: count - trainSize,
    seqLength,
    prefixLength,
    vocabulary,
    inductionToken,
  };
}
