#!/usr/bin/env node
// CommonJS consumer of the built package: `node packages/plot/scripts/smoke-dist.cjs`
const { join } = require('node:path');
const plot = require(join(__dirname, '../dist/index.cjs'));

(async () => {
  const svg = await plot.renderSvg(
    plot.attentionPatternSpec({ attention: [[1, 0], [0.4, 0.6]], tokens: ['&', 'm'], title: 'CJS smoke' }),
  );
  const png = plot.renderPng(svg);
  const { width } = plot.pngSize(png);
  if (!svg.includes('CJS smoke') || width < 50) throw new Error('cjs: bad render');
  console.log(`cjs require: ok (PNG width ${width})`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
