import {
  readAttention,
  resolveValidation,
  validateAttention,
  type AttentionInput,
  type AttentionTensor,
  type ValidationOptions,
} from './attention-input';
import { InductionScoreError, describeValue } from './errors';
import { diagonalScores, requireSquare, type HeadScores } from './head-scores';
import { readTokens, type TokenInput } from './token-input';
import { matchedKeyScores } from './token-score';

/** The head types `detectHeads` scores. */
export type HeadKind = 'previousToken' | 'duplicateToken' | 'induction';

export const HEAD_KINDS: readonly HeadKind[] = ['previousToken', 'duplicateToken', 'induction'];

export interface DetectHeadsOptions extends ValidationOptions {
  /** `[batch, query]` input tokens at the attention's positions. */
  tokens: TokenInput;
  /** Also return per-sample scores `[layers?, heads, batch]`. Default false. */
  perSample?: boolean;
}

export interface DetectHeadsResult {
  /** Mean attention from query t to key t - 1, over queries t >= 1. */
  previousToken: HeadScores;
  /** Attention from query t to earlier keys j < t with tokens[j] == tokens[t]. */
  duplicateToken: HeadScores;
  /** Token-based induction score (same as `inductionScores(..., { definition: 'token' })`). */
  induction: HeadScores;
  /** True for rank-5 input; scores then have shape [layers, heads]. */
  layered: boolean;
  layers: number;
  heads: number;
}

/** Previous-token score: mean over queries t = 1..T-1 of attention[t, t-1]. */
export function previousTokenScores(att: AttentionTensor, perSample = false): HeadScores {
  requireSquare(att, 'the previous-token score');
  const Q = att.query;
  if (Q < 2) {
    throw new InductionScoreError(
      'BAD_SHAPE',
      `the previous-token score needs at least 2 positions; got query ${Q}`,
    );
  }
  return diagonalScores(att, 1, 1, perSample);
}

/**
 * Previous-token, duplicate-token and induction scores per (layer,) head in one
 * call (one validation pass), for labelling heads.
 */
export function detectHeads(attention: AttentionInput, options: DetectHeadsOptions): DetectHeadsResult {
  if (typeof options !== 'object' || options === null || options.tokens === undefined) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `options is ${describeValue(options)}${options ? ' without tokens' : ''}; expected { tokens: [batch, query] }`,
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
  requireSquare(att, 'detectHeads');
  const tokens = readTokens(options.tokens, att.batch, att.query);
  const previousToken = previousTokenScores(att, perSample);
  const duplicateToken = matchedKeyScores(att, tokens, 0, perSample);
  const induction = matchedKeyScores(att, tokens, 1, perSample);
  if (validation.validate) validateAttention(att, validation);
  return {
    previousToken,
    duplicateToken,
    induction,
    layered: att.layered,
    layers: att.layers,
    heads: att.heads,
  };
}

/** One head's scores and the kinds whose score reaches the threshold. */
export interface HeadLabel {
  /** 0 for rank-4 input. */
  layer: number;
  head: number;
  kinds: HeadKind[];
  previousToken: number;
  duplicateToken: number;
  induction: number;
}

/**
 * Labels every head with the kinds whose mean score is >= threshold (one number for
 * all kinds, or one per kind; kinds left out of the object are never labelled).
 * Returned in layer-major order.
 */
export function labelHeads(
  result: DetectHeadsResult,
  threshold: number | Partial<Record<HeadKind, number>>,
): HeadLabel[] {
  if (typeof threshold !== 'number' && (typeof threshold !== 'object' || threshold === null)) {
    throw new InductionScoreError(
      'BAD_OPTION',
      `threshold is ${describeValue(threshold)}; expected a number in [0, 1] or { previousToken?, duplicateToken?, induction? }`,
    );
  }
  const thresholds: Partial<Record<HeadKind, number>> =
    typeof threshold === 'number'
      ? { previousToken: threshold, duplicateToken: threshold, induction: threshold }
      : threshold;
  for (const [kind, value] of Object.entries(thresholds)) {
    if (!(HEAD_KINDS as readonly string[]).includes(kind)) {
      throw new InductionScoreError(
        'BAD_OPTION',
        `threshold has unknown kind ${describeValue(kind)}; expected ${HEAD_KINDS.join(', ')}`,
      );
    }
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new InductionScoreError(
        'BAD_OPTION',
        `threshold for ${kind} is ${describeValue(value)}; expected a number in [0, 1]`,
      );
    }
  }
  const { layers, heads } = result;
  const n = layers * heads;
  for (const kind of HEAD_KINDS) {
    if (!result[kind] || result[kind].scores.length !== n) {
      throw new InductionScoreError(
        'BAD_SHAPE',
        `result.${kind}.scores does not hold layers x heads = ${n} scores; pass a detectHeads result`,
      );
    }
  }
  const labels: HeadLabel[] = [];
  for (let i = 0; i < n; i++) {
    const label: HeadLabel = {
      layer: Math.floor(i / heads),
      head: i % heads,
      kinds: [],
      previousToken: result.previousToken.scores[i],
      duplicateToken: result.duplicateToken.scores[i],
      induction: result.induction.scores[i],
    };
    for (const kind of HEAD_KINDS) {
      const t = thresholds[kind];
      if (t !== undefined && label[kind] >= t) label.kinds.push(kind);
    }
    labels.push(label);
  }
  return labels;
}
