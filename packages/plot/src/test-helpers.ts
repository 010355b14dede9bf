/** Helpers for this package's tests (not exported by the package). */
import { renderPixels } from './render';

/** Number of items (`<path`) in every vega mark group whose name starts with `prefix`. */
export function countMarkItems(svg: string, prefix: string): number {
  let count = 0;
  const groups = svg.matchAll(/<g class="mark-(?:rect|text|line|symbol) role-mark ([^"\s]+)"[^>]*>([\s\S]*?)<\/g>/g);
  for (const m of groups) {
    if (!m[1].startsWith(prefix)) continue;
    count += (m[2].match(/<(path|text)\b/g) ?? []).length;
  }
  return count;
}

/** Number of mark groups whose name starts with `prefix`. */
export function countMarkGroups(svg: string, prefix: string): number {
  return [...svg.matchAll(/<g class="mark-[a-z]+ role-mark ([^"\s]+)"/g)].filter((m) => m[1].startsWith(prefix)).length;
}

const unescape = (s: string): string =>
  s
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Texts of every `<text>` element (one entry per line of multi-line texts), unescaped. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].flatMap((m) => {
    const lines = [...m[1].matchAll(/<tspan\b[^>]*>([\s\S]*?)<\/tspan>/g)].map((t) => unescape(t[1]));
    return lines.length > 0 ? lines : [unescape(m[1])];
  });
}

/** Pixels darker than `threshold` (any channel) in the rectangle [x0, x1) x [y0, y1) of an RGBA image. */
export function inkPixels(
  image: { width: number; height: number; pixels: Uint8Array },
  rect: { x0?: number; y0?: number; x1?: number; y1?: number } = {},
  threshold = 250,
): number {
  const { width, height, pixels } = image;
  const x0 = rect.x0 ?? 0;
  const y0 = rect.y0 ?? 0;
  const x1 = Math.min(width, rect.x1 ?? width);
  const y1 = Math.min(height, rect.y1 ?? height);
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = 4 * (y * width + x);
      if (pixels[i] < threshold || pixels[i + 1] < threshold || pixels[i + 2] < threshold) n++;
    }
  }
  return n;
}

/** Renders an SVG at scale 1 and counts its non-white pixels. */
export function inkOf(svg: string): number {
  return inkPixels(renderPixels(svg, { scale: 1 }));
}
