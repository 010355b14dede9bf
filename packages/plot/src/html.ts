/**
 * Small HTML helpers for the report: escaping, SVG inlining (unique ids, no namespace
 * URLs), and cell colours.
 */
import { BLUES } from './theme';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Prepares an SVG document for inlining into HTML: drops the XML declaration and the
 * namespace attributes (HTML parsers do not need them, and they are URLs), prefixes
 * every id and its references so several figures can share a page, and labels it.
 */
export function inlineSvg(svg: string, idPrefix: string, label: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]);
  let out = svg.replace(/^\s*<\?xml[^>]*>\s*/, '');
  out = out.replace(/\sxmlns(:\w+)?="[^"]*"/g, '');
  if (ids.size > 0) {
    out = out.replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, c: string) => `${a}${idPrefix}${id}${c}`);
    out = out.replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${idPrefix}${id})` : whole));
    out = out.replace(/(href=")#([^"]+)(")/g, (whole, a: string, id: string, c: string) => (ids.has(id) ? `${a}#${idPrefix}${id}${c}` : whole));
  }
  return out.replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(label)}"`);
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The white-to-blue colour of `value` in [lo, hi] (clamped), as `rgb(...)`; text colour to use on it. */
export function blueCell(value: number, lo = 0, hi = 1): { background: string; color: string } {
  if (!Number.isFinite(value)) return { background: '#e4e4e4', color: '#333' };
  const t = Math.min(1, Math.max(0, (value - lo) / (hi - lo))) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(t));
  const f = t - i;
  const a = hexToRgb(BLUES[i]);
  const b = hexToRgb(BLUES[i + 1]);
  const rgb = a.map((x, k) => Math.round(x + (b[k] - x) * f));
  return { background: `rgb(${rgb.join(',')})`, color: t > 0.55 * (BLUES.length - 1) ? '#fff' : '#111' };
}
