/**
 * The look shared by every figure: font, sizes, colour ranges. Colour ranges are
 * explicit piecewise-linear stops (domain and range of equal length), so a spec renders
 * the same in any vega runtime, with no scheme registered.
 */
import { DEFAULT_FONT_FAMILY } from './fonts';

/** Matplotlib's "Blues" (white to dark blue), the original study's colour map. */
export const BLUES = ['#f7fbff', '#deebf7', '#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];

/** Blue - white - red (ColorBrewer RdBu, reversed): negative blue, zero white, positive red. */
export const BLUE_WHITE_RED = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#ffffff', '#fddbc7', '#f4a582', '#d6604d', '#b2182b'];

/** Categorical colours for precisions (fp, 1bit, 1.58bit, frozen-sign) and other series. */
export const CATEGORY_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Fill of a panel or cell with no data. */
export const MISSING_FILL = '#e4e4e4';
/** Text colour of secondary labels. */
export const MUTED_TEXT = '#555555';
/** Subtitle colour of a panel whose copy accuracy is below the warning threshold. */
export const WARNING_TEXT = '#b2182b';

/** Evenly spaced stops over [lo, hi], one per colour. */
export function colourStops(domain: readonly [number, number], colours: readonly string[]): number[] {
  const [lo, hi] = domain;
  const n = colours.length;
  return colours.map((_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** A vega-lite quantitative colour scale through `colours` over `domain`, clamped. */
export function colourScale(domain: readonly [number, number], colours: readonly string[]): Record<string, unknown> {
  return { type: 'linear', domain: colourStops(domain, colours), range: [...colours], clamp: true, interpolate: 'rgb' };
}

/** The vega-lite `config` every figure uses. */
export function baseConfig(font: string = DEFAULT_FONT_FAMILY): Record<string, unknown> {
  return {
    font,
    background: 'white',
    padding: 12,
    view: { stroke: null },
    title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: MUTED_TEXT, anchor: 'middle', offset: 8, subtitlePadding: 4 },
    axis: { labelFontSize: 9, titleFontSize: 10, titleFontWeight: 'normal', domain: false, ticks: false, labelPadding: 2, titlePadding: 4 },
    legend: { titleFontSize: 10, labelFontSize: 9, titleFontWeight: 'normal', gradientLength: 200, gradientThickness: 12 },
    header: { labelFontSize: 10, titleFontSize: 11 },
    concat: { spacing: 10 },
  };
}
