import {
  readAttention,
  resolveValidation,
  validateAttention,
  type AttentionInput,
  type ValidationOptions,
} from './attention-input';
import { InductionScoreError, describeValue } from './errors';
import { requireSquare, type HeadScores } from './head-scores';
import { stripeScores } from './stripe-score';
import { targetScores } from './target-score';
import { readTokens, type TokenInput } from './token-input';
import { tokenScores } from './token-score';

/** The three induction-score definitions (see README). */
export type ScoreDefinition = 'target' | 'token' | 'stripe';

export const SCORE_DEFINITIONS: readonly ScoreDefinition[] = ['target', 'token', 'stripe'];

export interface InductionScoreOptions extends ValidationOptions {
  definition: ScoreDefinition;
  /** `[batch, query]` input tokens, for `'token'`. */
  tokens?: TokenInput;
  /** `[batch]` query position per sample, for `'target'`. */
  queryPos?: ArrayLike<number>;
  /** `[batch]` key position per sample, for `'target'`. */
  keyPos?: ArrayLike<number>;
  /** Repeat period of the random tokens, for `'stripe'`. */
  period?: number;
  /** `'stripe'`: the sequence starts with one BOS token before the repeats. Default false. */
  bos?: boolean;
  /** Also return per-sample scores `[layers?, heads, batch]`. Default false. */
  perSample?: boolean;
}

export interface InductionScoresResult extends HeadScores {
  definition: ScoreDefinition;
}

/**
 * Induction score per (layer,) head of attention probabilities
 * `[batch, heads, query, key]` or `[layers, batch, heads, query, key]`.
 */
export function inductionScores(
  attention: AttentionInput,
  options: InductionScoreOptions,
): InductionScoresResult {
  if (typeof options !== 'object' || options === null) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `options is ${describeValue(options)}; expected { definition: "target" | "token" | "stripe", ... }`,
    );
  }
  const { definition } = options;
  if (!SCORE_DEFINITIONS.includes(definition)) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `definition is ${describeValue(definition)}; expected one of "target", "token", "stripe"`,
    );
  }
  const perSample = options.perSample ?? false;
  if (typeof perSample !== 'boolean') {
    throw new InductionScoreError(
      'BAD_OPTION',
      `perSample is ${describeValue(perSample)}; expected true or false`,
    );
  }
  const validation = resolveValidation(options);
  const att = readAttention(attention);
  // Option and index checks run inside the scorers (cheap); the one pass over every
  // value runs after them, so a bad option is reported before a slow scan.
  let result: HeadScores;
  if (definition === 'target') {
    result = targetScores(att, options.queryPos, options.keyPos, perSample);
  } else if (definition === 'token') {
    if (options.tokens === undefined) {
      throw new InductionScoreError(
        'BAD_OPTION',
        `tokens is undefined; the token definition needs tokens [batch, query] = [${att.batch}, ${att.query}]`,
      );
    }
    requireSquare(att, 'the token definition');
    result = tokenScores(att, readTokens(options.tokens, att.batch, att.query), perSample);
  } else {
    result = stripeScores(att, options.period, options.bos ?? false, perSample);
  }
  if (validation.validate) validateAttention(att, validation);
  return { definition, ...result };
}
