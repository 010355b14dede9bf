/**
 * Fonts for rendering. resvg draws no text at all unless it is given a font, and vega
 * lays text out by estimated widths unless it is told how wide text is. This module
 * finds a TrueType font (DejaVu Sans from the `dejavu-fonts-ttf` package by default),
 * reads its family name and advance widths, and measures text with them, so that the
 * layout vega computes matches the glyphs resvg draws.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PlotError } from './errors';

/** Font family every spec of this package asks for. */
export const DEFAULT_FONT_FAMILY = 'DejaVu Sans';

/** Where to find fonts; every field is optional. */
export interface FontOptions {
  /** A TrueType file for regular text (default: DejaVuSans.ttf from `dejavu-fonts-ttf`). */
  fontFile?: string;
  /** A TrueType file for bold text (default: DejaVuSans-Bold.ttf next to the regular one, when present). */
  boldFontFile?: string;
}

/** The fonts a render uses. */
export interface ResolvedFonts {
  /** Family name read from the regular font's `name` table, e.g. `'DejaVu Sans'`. */
  family: string;
  /** Absolute path of the regular font. */
  regular: string;
  /** Absolute path of the bold font, when one was found. */
  bold?: string;
  /** Every font file, for resvg's `fontFiles`. */
  files: string[];
}

const DEJAVU_SPECIFIER = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';

/** Module resolution bases tried in order: the working directory, then this file's folder. */
function resolutionBases(): string[] {
  const bases = [join(process.cwd(), 'noop.js')];
  // In CommonJS (jest, dist/index.cjs) __dirname is defined; tsup shims it in the ESM build.
  if (typeof __dirname === 'string') bases.push(join(__dirname, 'noop.js'));
  // the main script's folder (e.g. a global CLI install)
  if (process.argv[1]) bases.push(resolve(process.argv[1]));
  return bases;
}

/** Finds the default DejaVu Sans font file; throws FONT_NOT_FOUND naming every place tried. */
export function findDefaultFontFile(): string {
  const tried: string[] = [];
  const env = process.env.IHC_PLOT_FONT;
  if (env) {
    if (isReadable(env)) return resolve(env);
    tried.push(`$IHC_PLOT_FONT=${env}`);
  }
  for (const base of resolutionBases()) {
    try {
      return createRequire(base).resolve(DEJAVU_SPECIFIER);
    } catch {
      tried.push(`${DEJAVU_SPECIFIER} from ${dirname(base)}`);
    }
  }
  throw new PlotError(
    'FONT_NOT_FOUND',
    `No font found for rendering text (tried ${tried.join('; ')}). Install dejavu-fonts-ttf, ` +
      'set IHC_PLOT_FONT, or pass { fontFile: "/path/to/font.ttf" }.',
  );
}

function isReadable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const resolvedCache = new Map<string, ResolvedFonts>();

/** Resolves the regular and bold font files and the family name resvg must be told. */
export function resolveFonts(options: FontOptions = {}): ResolvedFonts {
  const key = `${options.fontFile ?? ''}\u0000${options.boldFontFile ?? ''}`;
  const cached = resolvedCache.get(key);
  if (cached) return cached;
  const regular = resolve(options.fontFile ?? findDefaultFontFile());
  const metrics = loadFontMetrics(regular);
  let bold: string | undefined;
  if (options.boldFontFile !== undefined) {
    bold = resolve(options.boldFontFile);
    loadFontMetrics(bold);
  } else if (options.fontFile === undefined) {
    const candidate = join(dirname(regular), 'DejaVuSans-Bold.ttf');
    if (isReadable(candidate)) bold = candidate;
  }
  const fonts: ResolvedFonts = {
    family: metrics.family,
    regular,
    ...(bold ? { bold } : {}),
    files: bold ? [regular, bold] : [regular],
  };
  resolvedCache.set(key, fonts);
  return fonts;
}

/** Advance widths and family name of one TrueType font. */
export interface FontMetrics {
  family: string;
  unitsPerEm: number;
  /** Advance width of a code point in em (1 = font size); unknown glyphs get the .notdef width. */
  advance(codePoint: number): number;
}

const metricsCache = new Map<string, FontMetrics>();

/** Reads a TrueType/OpenType (glyf or CFF) font's `head`, `hhea`, `hmtx`, `cmap` and `name` tables. */
export function loadFontMetrics(file: string): FontMetrics {
  const path = resolve(file);
  const cached = metricsCache.get(path);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new PlotError('FONT_NOT_FOUND', `Cannot read font file ${path}.`, { file: path, cause });
  }
  try {
    const metrics = parseFont(bytes);
    metricsCache.set(path, metrics);
    return metrics;
  } catch (cause) {
    if (cause instanceof PlotError) throw cause;
    throw new PlotError('FONT_NOT_FOUND', `${path} is not a readable TrueType/OpenType font.`, { file: path, cause });
  }
}

function parseFont(b: Buffer): FontMetrics {
  const numTables = b.readUInt16BE(4);
  const tables = new Map<string, number>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(b.toString('latin1', rec, rec + 4), b.readUInt32BE(rec + 8));
  }
  const need = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new PlotError('FONT_NOT_FOUND', `font has no '${tag}' table`);
    return offset;
  };
  const unitsPerEm = b.readUInt16BE(need('head') + 18);
  const numberOfHMetrics = b.readUInt16BE(need('hhea') + 34);
  const hmtx = need('hmtx');
  const advanceOfGlyph = (glyph: number): number =>
    b.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;
  const glyphOf = cmapLookup(b, need('cmap'));
  const cache = new Map<number, number>();
  return {
    family: familyName(b, tables.get('name')) ?? DEFAULT_FONT_FAMILY,
    unitsPerEm,
    advance(codePoint: number): number {
      let w = cache.get(codePoint);
      if (w === undefined) {
        w = advanceOfGlyph(glyphOf(codePoint));
        cache.set(codePoint, w);
      }
      return w;
    },
  };
}

/** A code point -> glyph id function from the font's Unicode BMP cmap subtable (format 4). */
function cmapLookup(b: Buffer, cmap: number): (codePoint: number) => number {
  const count = b.readUInt16BE(cmap + 2);
  let sub = -1;
  for (let i = 0; i < count; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = b.readUInt16BE(rec);
    const encoding = b.readUInt16BE(rec + 2);
    const offset = cmap + b.readUInt32BE(rec + 4);
    if (b.readUInt16BE(offset) !== 4) continue;
    if ((platform === 3 && encoding === 1) || platform === 0) {
      sub = offset;
      break;
    }
  }
  if (sub < 0) return () => 0;
  const segCount = b.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segCount + 2;
  const deltas = starts + 2 * segCount;
  const rangeOffsets = deltas + 2 * segCount;
  return (c: number): number => {
    if (c > 0xffff) return 0;
    for (let i = 0; i < segCount; i++) {
      if (c > b.readUInt16BE(ends + 2 * i)) continue;
      const start = b.readUInt16BE(starts + 2 * i);
      if (c < start) return 0;
      const delta = b.readUInt16BE(deltas + 2 * i);
      const ro = b.readUInt16BE(rangeOffsets + 2 * i);
      if (ro === 0) return (c + delta) & 0xffff;
      const g = b.readUInt16BE(rangeOffsets + 2 * i + ro + 2 * (c - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
}

/** The font family name (name id 16, else 1) from the `name` table, if readable. */
function familyName(b: Buffer, name: number | undefined): string | undefined {
  if (name === undefined) return undefined;
  const count = b.readUInt16BE(name + 2);
  const strings = name + b.readUInt16BE(name + 4);
  const found = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const rec = name + 6 + 12 * i;
    const platform = b.readUInt16BE(rec);
    const nameId = b.readUInt16BE(rec + 6);
    if (nameId !== 1 && nameId !== 16) continue;
    const length = b.readUInt16BE(rec + 8);
    const start = strings + b.readUInt16BE(rec + 10);
    let text: string;
    if (platform === 3 || platform === 0) {
      const chars: number[] = [];
      for (let j = 0; j + 1 < length; j += 2) chars.push(b.readUInt16BE(start + j));
      text = String.fromCharCode(...chars);
    } else {
      text = b.toString('latin1', start, start + length);
    }
    if (text && (!found.has(nameId) || platform === 3)) found.set(nameId, text);
  }
  return found.get(16) ?? found.get(1);
}

/** Width in pixels of `text` set in `metrics` at `fontSize` (no kerning). */
export function measureText(metrics: FontMetrics, text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += metrics.advance(ch.codePointAt(0) ?? 0);
  return w * fontSize;
}
