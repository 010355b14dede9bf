import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from './report';
import { makeSweep, originalFixture } from './test-fixtures';

describe('writeReport', () => {
  const { dir, runs } = makeSweep({
    embeds: [64],
    heads: [2, 4],
    norms: ['pre'],
    pos: ['learnable', 'none'],
    seeds: [0, 1],
    missing: [{ precision: '1bit', numHeads: 4, posEmbed: 'none' }],
    incomplete: [{ precision: 'fp', numHeads: 2, posEmbed: 'none', seed: 1 }],
  });
  // hostile text in a run's config must come out escaped
  const configFile = join(dir, runs[0].config.runId, 'config.json');
  writeFileSync(configFile, JSON.stringify({ runId: runs[0].config.runId, note: '<script>alert("x")</script> & <b>' }));
  let html: string;
  let file: string;

  beforeAll(async () => {
    file = await writeReport(dir, { originalScores: originalFixture() });
    html = readFileSync(file, 'utf8');
  });

  it('writes one self-contained HTML file with no external references', () => {
    expect(file).toBe(join(dir, 'report.html'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|@import|src=/i);
  });

  it('escapes all text', () => {
    // JSON.stringify escapes the quotes, then HTML escaping applies
    expect(html).toContain('&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt; &amp; &lt;b&gt;');
    expect(html).not.toContain('<b>');
  });

  it('inlines the figures as SVG with unique ids', () => {
    const svgs = html.match(/<svg\b/g) ?? [];
    // eval grids: 2 precisions x 2 definitions x 3 modes; differences 2 x 3; curves by precision
    // (13 runs: too many for per-run curves and maps); comparison: FP learnable (the fixture's only average)
    expect(runs).toHaveLength(13);
    expect(svgs.length).toBe(12 + 6 + 1 + 1);
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it('tabulates scores and copy accuracy per configuration as mean ± std over seeds', () => {
    expect(html).toContain('<th>train copy acc</th>');
    expect(html).toContain('<th>eval copy acc</th>');
    expect(html).toContain('<th>target score</th>');
    const fp = runs.filter((r) => r.config.precision === 'fp' && r.config.numHeads === 4 && r.config.posEmbed === 'learnable');
    expect(fp).toHaveLength(2);
    const accs = fp.map((r) => r.splits.eval.copyAccuracy);
    const mean = (accs[0] + accs[1]) / 2;
    const std = Math.abs(accs[0] - accs[1]) / Math.SQRT2;
    expect(html).toContain(`${mean.toFixed(2)} ± ${std.toFixed(2)}`);
  });

  it('lists run configurations, incomplete runs and the training curves', () => {
    for (const r of runs) expect(html).toContain(`<code>${r.config.runId}</code>`);
    expect(html).toContain('id="incomplete"');
    expect(html).toContain('fp-e64-h2-pre-none-s1');
    expect(html).toContain('Training curves by precision');
    expect(html).toContain('Ours vs the original study');
  });

  it('writes into a directory given as out', async () => {
    const out = await writeReport(dir, { out: join(dir, 'fp-e64-h2-pre-learnable-s0') });
    expect(out).toBe(join(dir, 'fp-e64-h2-pre-learnable-s0', 'report.html'));
  });
});
