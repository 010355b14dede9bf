/**
 * Human-readable names of run-config values, and file-name slugs, used in titles,
 * tables and output file names.
 */
import type { RunConfigSummary } from '@ihc/induction-score';

export type Precision = RunConfigSummary['precision'];
export type NormMode = RunConfigSummary['norm'];
export type PosEmbed = RunConfigSummary['posEmbed'];
export type SoftmaxMode = RunConfigSummary['softmax'];
export type Split = 'train' | 'eval';
export type Definition = 'target' | 'token';

/** Every precision, in the order figures list them. */
export const PRECISIONS: readonly Precision[] = ['fp', '1bit', '1.58bit', 'frozen-sign'];
export const NORM_MODES: readonly NormMode[] = ['pre', 'post', 'none'];
export const POS_EMBEDS: readonly PosEmbed[] = ['learnable', 'trigonometric', 'none'];
export const SOFTMAX_MODES: readonly SoftmaxMode[] = ['vanilla', 'off-by-one'];
export const SPLITS: readonly Split[] = ['train', 'eval'];
export const DEFINITIONS: readonly Definition[] = ['target', 'token'];

const PRECISION_LABELS: Record<Precision, string> = {
  fp: 'FP',
  '1bit': '1-bit',
  '1.58bit': '1.58-bit',
  'frozen-sign': 'frozen-sign 1-bit',
};
const NORM_LABELS: Record<NormMode, string> = { pre: 'pre-norm', post: 'post-norm', none: 'no norm' };
const POS_LABELS: Record<PosEmbed, string> = {
  learnable: 'learnable positions',
  trigonometric: 'sinusoidal positions',
  none: 'no positions',
};
const SOFTMAX_LABELS: Record<SoftmaxMode, string> = { vanilla: 'softmax', 'off-by-one': 'off-by-one softmax' };
const DEFINITION_LABELS: Record<Definition, string> = {
  target: 'target (last & → token after first &)',
  token: 'token-based (Olsson et al.)',
};

export const precisionLabel = (p: Precision): string => PRECISION_LABELS[p] ?? String(p);
export const normLabel = (n: NormMode): string => NORM_LABELS[n] ?? String(n);
export const posLabel = (p: PosEmbed): string => POS_LABELS[p] ?? String(p);
export const softmaxLabel = (s: SoftmaxMode): string => SOFTMAX_LABELS[s] ?? String(s);
export const definitionLabel = (d: Definition): string => DEFINITION_LABELS[d] ?? String(d);
export const splitLabel = (s: Split): string => `${s} split`;

/** Formats a number with `digits` decimals; non-finite values as an en dash. */
export function fmt(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** A file-name-safe slug: lower case letters, digits, '.', '-' and '_'. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '') || 'x'
  );
}
