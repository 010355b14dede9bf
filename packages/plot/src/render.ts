/**
 * Rendering: vega-lite spec -> vega spec -> SVG (vega's headless View, renderer 'none')
 * -> PNG (resvg). Text is laid out with the advance widths of the font resvg draws with
 * (see fonts.ts), and resvg is given that font explicitly, with system fonts off, so
 * output is the same on every machine.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PlotError, badOption } from './errors';
import { type FontMetrics, type FontOptions, type ResolvedFonts, loadFontMetrics, measureText, resolveFonts } from './fonts';

/** A vega-lite specification, as returned by this package's spec builders. */
export type VegaLiteSpec = TopLevelSpec;
/** A (compiled) vega specification. */
export type VegaSpec = vega.Spec;

/** Options of `renderSvg`. */
export interface RenderSvgOptions extends FontOptions {
  /** Called with every vega-lite / vega warning (default: warnings are dropped). */
  onWarning?: (message: string) => void;
}

/** Options of `renderPng`. */
export interface RenderPngOptions extends FontOptions {
  /** Pixels per SVG unit (default 2). */
  scale?: number;
  /** Background colour behind transparent areas (default 'white'). */
  background?: string;
}

/** Decoded pixels of a rendered SVG. */
export interface RenderedPixels {
  width: number;
  height: number;
  /** RGBA, row-major, 4 bytes per pixel. */
  pixels: Uint8Array;
}

/** True when `spec` is a vega (not vega-lite) specification. */
function isVegaSpec(spec: VegaLiteSpec | VegaSpec): spec is VegaSpec {
  const schema = (spec as { $schema?: unknown }).$schema;
  if (typeof schema === 'string') return /\/schema\/vega\/v\d/.test(schema);
  return Array.isArray((spec as { marks?: unknown }).marks) && !('mark' in spec);
}

/** Compiles a vega-lite spec to vega (vega specs are returned as they are). */
export function compileSpec(spec: VegaLiteSpec | VegaSpec, options: RenderSvgOptions = {}): VegaSpec {
  if (spec === null || typeof spec !== 'object') badOption('spec', spec, 'a vega-lite or vega specification object');
  if (isVegaSpec(spec)) return spec;
  const warn = options.onWarning ?? (() => undefined);
  const logger = quietLogger(warn);
  try {
    return compile(spec, { logger: logger as never }).spec;
  } catch (cause) {
    throw new PlotError('RENDER_FAILED', `vega-lite could not compile the spec: ${(cause as Error).message}`, { cause });
  }
}

interface Logger {
  level(): number;
  level(level: number): Logger;
  error(...args: unknown[]): Logger;
  warn(...args: unknown[]): Logger;
  info(...args: unknown[]): Logger;
  debug(...args: unknown[]): Logger;
}

function quietLogger(warn: (message: string) => void): Logger {
  let current = 2;
  const logger: Logger = {
    level: ((level?: number) => {
      if (level === undefined) return current;
      current = level;
      return logger;
    }) as Logger['level'],
    error: (...args) => {
      warn(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn: (...args) => {
      warn(args.map(String).join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

// vega measures text with `textMetrics.width`; while any render is in flight it uses the
// widths of the font resvg will draw with, then the previous function is restored.
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
type WidthFn = (item: TextItem, text: unknown) => number;
const textMetrics = (vega as unknown as { textMetrics: { width: WidthFn } }).textMetrics;
let inFlight = 0;
let savedWidth: WidthFn | undefined;
let activeFonts: { regular: FontMetrics; bold: FontMetrics } | undefined;

const fontWidth: WidthFn = (item, text) => {
  const fonts = activeFonts;
  const value = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  if (!fonts || !value || size <= 0) return 0;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || weight === '700';
  const width = measureText(bold ? fonts.bold : fonts.regular, value, size);
  return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
};

function installMetrics(fonts: ResolvedFonts): void {
  const regular = loadFontMetrics(fonts.regular);
  activeFonts = { regular, bold: fonts.bold ? loadFontMetrics(fonts.bold) : regular };
  if (inFlight++ === 0) {
    savedWidth = textMetrics.width;
    textMetrics.width = fontWidth;
  }
}

function uninstallMetrics(): void {
  if (--inFlight === 0 && savedWidth) {
    textMetrics.width = savedWidth;
    savedWidth = undefined;
  }
}

/** Renders a vega-lite (or vega) spec to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec | VegaSpec, options: RenderSvgOptions = {}): Promise<string> {
  const compiled = compileSpec(spec, options);
  const fonts = resolveFonts(options);
  installMetrics(fonts);
  let view: vega.View | undefined;
  try {
    const warn = options.onWarning ?? (() => undefined);
    view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: quietLogger(warn) as never });
    return await view.toSVG();
  } catch (cause) {
    if (cause instanceof PlotError) throw cause;
    throw new PlotError('RENDER_FAILED', `vega could not render the spec: ${(cause as Error).message}`, { cause });
  } finally {
    view?.finalize();
    uninstallMetrics();
  }
}

function resvgFor(svg: string, options: RenderPngOptions): Resvg {
  if (typeof svg !== 'string' || !svg.includes('<svg')) badOption('svg', svg, 'an SVG document string');
  const scale = options.scale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 16)) badOption('scale', scale, 'a number in (0, 16]');
  const fonts = resolveFonts(options);
  try {
    return new Resvg(svg, {
      background: options.background ?? 'white',
      fitTo: { mode: 'zoom', value: scale },
      font: {
        fontFiles: fonts.files,
        loadSystemFonts: false,
        defaultFontFamily: fonts.family,
        sansSerifFamily: fonts.family,
      },
    });
  } catch (cause) {
    throw new PlotError('RENDER_FAILED', `resvg could not read the SVG: ${(cause as Error).message}`, { cause });
  }
}

/** Rasterises an SVG string to PNG bytes with the package's fonts. */
export function renderPng(svg: string, options: RenderPngOptions = {}): Buffer {
  return resvgFor(svg, options).render().asPng();
}

/** Rasterises an SVG string to RGBA pixels (for checks and custom encoders). */
export function renderPixels(svg: string, options: RenderPngOptions = {}): RenderedPixels {
  const image = resvgFor(svg, options).render();
  return { width: image.width, height: image.height, pixels: new Uint8Array(image.pixels) };
}

/** Width and height from a PNG's IHDR chunk; throws BAD_INPUT when `png` is not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ok = png.length >= 24 && signature.every((b, i) => png[i] === b) && String.fromCharCode(...png.subarray(12, 16)) === 'IHDR';
  if (!ok) throw new PlotError('BAD_INPUT', 'Not a PNG: missing signature or IHDR chunk.');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height declared on an SVG's root element. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new PlotError('BAD_INPUT', 'SVG root has no numeric width/height.');
  return { width, height };
}
