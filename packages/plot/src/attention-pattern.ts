/**
 * The attention pattern of one sample, one panel per head: query position (rows) x key
 * position (columns), tokens as axis labels (as in circuitsvis), masked (future) cells
 * left blank, optional outlined cells (e.g. the induction target: second '&' -> token
 * after the first '&').
 */
import { PlotError, badOption } from './errors';
import type { VegaLiteSpec } from './render';
import { BLUES, baseConfig, colourScale } from './theme';

/** Attention of one sample: `[T, T]` (one head), `[H, T, T]`, or flat data with its shape. */
export type AttentionMatrix =
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[]
  | { data: ArrayLike<number>; shape: readonly number[] };

/** What `attentionPatternSpec` draws. */
export interface AttentionPatternInput {
  /** Attention probabilities of one sample (rows: queries, columns: keys). */
  attention: AttentionMatrix;
  /** The T tokens of the sample, as strings (axis labels). */
  tokens: readonly string[];
  /** Heads to draw (default all). */
  heads?: readonly number[];
  /** Panel titles per drawn head (default "head 0", ...). */
  headLabels?: readonly string[];
  /** Cells to outline, e.g. `[{ query: 28, key: 3 }]`. */
  highlight?: readonly { query: number; key: number }[];
  title?: string;
  subtitle?: string | string[];
}

/** Looks of the attention figure. */
export interface AttentionPatternOptions {
  /** Pixel size of one cell (default: 14 for 29 tokens, within 8..24). */
  cellSize?: number;
  /** Panels per row (default: as many as fit in about 1000 pixels). */
  columns?: number;
  /** Colour domain (default [0, 1]). */
  domain?: [number, number];
  /** Outline colour of highlighted cells (default red). */
  highlightColour?: string;
  font?: string;
}

/** Normalises any accepted input to `[H][T][T]` numbers; BAD_INPUT on ragged or non-square input. */
export function toHeadMatrices(attention: AttentionMatrix): number[][][] {
  let heads: number[][][];
  if (Array.isArray(attention)) {
    const first = attention[0] as unknown;
    heads = Array.isArray(first) && Array.isArray(first[0])
      ? (attention as number[][][]).map((h) => h.map((row) => Array.from(row)))
      : [(attention as number[][]).map((row) => Array.from(row))];
  } else {
    const { data, shape } = attention as { data: ArrayLike<number>; shape: readonly number[] };
    if (!Array.isArray(shape) || (shape.length !== 2 && shape.length !== 3)) {
      throw new PlotError('BAD_INPUT', `attention shape is ${JSON.stringify(shape)}; expected [T, T] or [heads, T, T].`);
    }
    const [h, t, k] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
    if (data.length !== h * t * k) {
      throw new PlotError('BAD_INPUT', `attention data has ${data.length} values; shape ${JSON.stringify(shape)} needs ${h * t * k}.`);
    }
    heads = [];
    for (let i = 0; i < h; i++) {
      const m: number[][] = [];
      for (let q = 0; q < t; q++) m.push(Array.from({ length: k }, (_, j) => Number(data[(i * t + q) * k + j])));
      heads.push(m);
    }
  }
  const t = heads[0]?.length ?? 0;
  if (t === 0) throw new PlotError('BAD_INPUT', 'attention is empty; expected a [T, T] or [heads, T, T] matrix.');
  heads.forEach((m, h) => {
    if (m.length !== t || m.some((row) => row.length !== t)) {
      throw new PlotError('BAD_INPUT', `attention of head ${h} is not ${t} x ${t} (every head must be square, queries x keys).`);
    }
    m.forEach((row, q) =>
      row.forEach((v, k) => {
        if (!Number.isFinite(v)) throw new PlotError('BAD_INPUT', `attention[${h}][${q}][${k}] is ${v}; expected a finite number.`);
      }),
    );
  });
  return heads;
}

/** Vega-lite spec of one sample's attention pattern, one panel per head. */
export function attentionPatternSpec(input: AttentionPatternInput, options: AttentionPatternOptions = {}): VegaLiteSpec {
  const matrices = toHeadMatrices(input.attention);
  const t = matrices[0].length;
  if (!Array.isArray(input.tokens) || input.tokens.length !== t) {
    throw new PlotError(
      'BAD_INPUT',
      `tokens has ${Array.isArray(input.tokens) ? input.tokens.length : 'no'} entries; the attention matrix is ${t} x ${t}, so ${t} tokens are needed.`,
    );
  }
  const heads = input.heads ?? matrices.map((_, i) => i);
  heads.forEach((h) => {
    if (!Number.isInteger(h) || h < 0 || h >= matrices.length) badOption('heads', input.heads, `head indices in 0..${matrices.length - 1}`);
  });
  for (const cell of input.highlight ?? []) {
    if (!(Number.isInteger(cell.query) && Number.isInteger(cell.key) && cell.query >= 0 && cell.key >= 0 && cell.query < t && cell.key < t)) {
      badOption('highlight', cell, `cells with query and key in 0..${t - 1}`);
    }
  }
  const cellSize = options.cellSize ?? Math.max(8, Math.min(24, Math.round(400 / t)));
  const columns = options.columns ?? Math.max(1, Math.min(heads.length, Math.floor(1000 / (cellSize * t + 60))));
  const domain = options.domain ?? [0, 1];
  const tokens = input.tokens.map((s) => String(s));
  const longest = Math.max(...tokens.map((s) => s.length));
  const labelExpr = `${JSON.stringify(tokens)}[datum.value]`;
  const positions = Array.from({ length: t }, (_, i) => i);
  const labelSize = Math.max(7, Math.min(11, cellSize - 3));
  const x = {
    field: 'key',
    type: 'ordinal',
    scale: { domain: positions, paddingInner: 0, paddingOuter: 0 },
    axis: { title: 'key', labelExpr, labelAngle: longest > 2 ? -90 : 0, labelFontSize: labelSize, orient: 'top', labelOverlap: false },
  };
  const y = {
    field: 'query',
    type: 'ordinal',
    scale: { domain: positions, paddingInner: 0, paddingOuter: 0 },
    axis: { title: 'query', labelExpr, labelFontSize: labelSize, labelOverlap: false },
  };
  const panels = heads.map((h, i) => {
    const cells: { query: number; key: number; value: number }[] = [];
    matrices[h].forEach((row, q) =>
      row.forEach((value, k) => {
        if (k > q && value === 0) return; // causal mask: leave blank
        cells.push({ query: q, key: k, value });
      }),
    );
    const layer: Record<string, unknown>[] = [
      {
        name: `attn_h${h}`,
        data: { values: cells },
        mark: { type: 'rect' },
        encoding: {
          x,
          y,
          color: { field: 'value', type: 'quantitative', scale: colourScale(domain, BLUES), legend: { title: 'attention' } },
        },
      },
    ];
    if (input.highlight && input.highlight.length > 0) {
      layer.push({
        name: `highlight_h${h}`,
        data: { values: input.highlight.map((c) => ({ query: c.query, key: c.key })) },
        mark: { type: 'rect', fill: null, fillOpacity: 0, stroke: options.highlightColour ?? '#d62728', strokeWidth: 2 },
        encoding: { x, y },
      });
    }
    return {
      width: cellSize * t,
      height: cellSize * t,
      title: { text: input.headLabels?.[i] ?? `head ${h}`, fontSize: 12, fontWeight: 'normal' },
      layer,
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: input.title ?? 'Attention pattern', ...(input.subtitle ? { subtitle: input.subtitle } : {}) },
    config: baseConfig(options.font),
    concat: panels,
    columns,
    spacing: 24,
    resolve: { scale: { color: 'shared', x: 'independent', y: 'independent' }, legend: { color: 'shared' } },
  } as unknown as VegaLiteSpec;
}
