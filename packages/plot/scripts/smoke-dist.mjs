#!/usr/bin/env node
// Smoke test of the built package (ESM and CJS entry points): renders a small grid to
// SVG and PNG and checks the PNG has its title text. Run after `npx tsup`, from any
// directory (the font must be found relative to the package, not the working dir):
//   node packages/plot/scripts/smoke-dist.mjs
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const esm = await import(join(here, '../dist/index.js'));
const cjs = createRequire(import.meta.url)(join(here, '../dist/index.cjs'));

const grid = (title) => ({
  title,
  rows: [16],
  cols: [2, 4],
  panels: [{ row: 16, col: 2, layers: 2, heads: 2, values: [0.1, 0.2, 0.9, 0.3], n: 2, copyAccuracy: 0.9 }],
});

function ink(pixels, width, rows) {
  let n = 0;
  for (let i = 0; i < width * rows * 4; i += 4) if (pixels[i] < 200) n++;
  return n;
}

for (const [name, lib] of [['esm', esm], ['cjs', cjs]]) {
  const fonts = lib.resolveFonts();
  const svg = await lib.renderSvg(lib.heatmapGridSpec(grid('Smoke test title')));
  const bare = await lib.renderSvg(lib.heatmapGridSpec(grid('')));
  const png = lib.renderPng(svg, { scale: 1 });
  const { width, height } = lib.pngSize(png);
  const size = lib.svgSize(svg);
  if (width !== Math.round(size.width) || height !== Math.round(size.height)) throw new Error(`${name}: PNG ${width}x${height} != SVG ${size.width}x${size.height}`);
  const a = lib.renderPixels(svg, { scale: 1 });
  const b = lib.renderPixels(bare, { scale: 1 });
  // the titled figure has the same panels plus a title: the title's glyphs add ink
  const titled = ink(a.pixels, a.width, a.height);
  const untitled = ink(b.pixels, b.width, b.height);
  if (!(titled > untitled + 300)) throw new Error(`${name}: no title text drawn (ink ${titled} vs ${untitled})`);
  if (!(svg.includes('no run') && svg.includes('Smoke test title'))) throw new Error(`${name}: SVG lacks its texts`);
  console.log(`${name}: ok (font ${fonts.regular}, PNG ${width}x${height}, title ink ${titled - untitled} px)`);
}
