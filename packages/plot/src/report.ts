/**
 * `writeReport`: one self-contained HTML file for a sweep - inline SVG figures, tables
 * of induction scores and copy accuracy per configuration (mean ± std over seeds),
 * each run's configuration, training curves, and the incomplete runs. No scripts, no
 * external resources: it works offline and from a file:// URL. All text is escaped.
 */
import { type RunGroup, type ScoreSummary, type Stat, summariseRuns } from '@ihc/induction-score';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import type { FontOptions } from './fonts';
import { blueCell, escapeHtml as esc, inlineSvg } from './html';
import {
  type Definition,
  DEFINITIONS,
  NORM_MODES,
  POS_EMBEDS,
  PRECISIONS,
  SOFTMAX_MODES,
  type Split,
  definitionLabel,
  fmt,
  normLabel,
  posLabel,
  precisionLabel,
  softmaxLabel,
} from './labels';
import { type OriginalScoresSource, loadOriginalScores } from './original-scores';
import { renderSvg } from './render';
import { type FigureSpec, sweepCurveSpecs, sweepFigureSpecs } from './sweep-figures';
import { type Sweep, readSweep } from './sweep-reader';

/** Options of `writeReport`. */
export interface ReportOptions extends FontOptions {
  /** Output file, or a directory to write `report.html` into (default `<dir>/report.html`). */
  out?: string;
  /** Report title (default "Induction-head sweep: <sweep name>"). */
  title?: string;
  /** The original's published scores: adds ours-vs-original figures. */
  originalScores?: OriginalScoresSource;
  /** Splits whose grid figures are included (default ['eval']; the tables always show both). */
  splits?: readonly Split[];
  /** Colour domain of our scores (default [0, 1]). */
  domain?: [number, number];
  /** Include per-run maps (default: when the sweep has at most 12 runs). */
  runMaps?: boolean;
}

const GROUP_BY = ['precision', 'softmax', 'posEmbed', 'norm', 'embedSize', 'numHeads', 'numLayers'] as const;

const pm = (s: Stat, digits = 2): string => (s.n > 1 ? `${fmt(s.mean, digits)} ± ${fmt(s.std, digits)}` : fmt(s.mean, digits));

function bestHead(s: ScoreSummary): { index: number; label: string } {
  let index = 0;
  s.mean.forEach((v, i) => {
    if (v > s.mean[index]) index = i;
  });
  return { index, label: `L${Math.floor(index / s.heads)}.H${index % s.heads}` };
}

function heatTd(value: number, text: string, domain: [number, number]): string {
  const c = blueCell(value, domain[0], domain[1]);
  return `<td class="num" style="background:${c.background};color:${c.color}">${esc(text)}</td>`;
}

function groupLabel(g: RunGroup): string {
  const k = g.key;
  return [
    precisionLabel(k.precision as never),
    `embed ${k.embedSize}`,
    `${k.numHeads} heads`,
    `${k.numLayers} layers`,
    posLabel(k.posEmbed as never),
    normLabel(k.norm as never),
    softmaxLabel(k.softmax as never),
  ].join(' · ');
}

/** Sorts groups by precision, softmax, positional mode, norm (canonical orders), then embed size and heads. */
function sortGroups(groups: RunGroup[]): RunGroup[] {
  const rank = (g: RunGroup): number[] => [
    PRECISIONS.indexOf(g.key.precision as never),
    SOFTMAX_MODES.indexOf(g.key.softmax as never),
    POS_EMBEDS.indexOf(g.key.posEmbed as never),
    NORM_MODES.indexOf(g.key.norm as never),
    g.key.embedSize ?? 0,
    g.key.numHeads ?? 0,
    g.key.numLayers ?? 0,
  ];
  return [...groups].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  });
}

function configTable(groups: RunGroup[], domain: [number, number]): string {
  const head = [
    'precision', 'embed', 'heads', 'layers', 'positions', 'norm', 'softmax', 'n seeds',
    'train copy acc', 'eval copy acc', 'eval loss',
    'target: best head', 'target score', 'token: best head', 'token score',
  ];
  const rows = groups.map((g) => {
    const e = g.splits.eval;
    const t = e.scores.target;
    const k = e.scores.token;
    const bt = bestHead(t);
    const bk = bestHead(k);
    const stat = (s: ScoreSummary, i: number): Stat => ({ mean: s.mean[i], std: s.std[i], n: s.n });
    return `<tr><td>${esc(precisionLabel(g.key.precision as never))}</td><td class="num">${esc(g.key.embedSize)}</td><td class="num">${esc(
      g.key.numHeads,
    )}</td><td class="num">${esc(g.key.numLayers)}</td><td>${esc(g.key.posEmbed)}</td><td>${esc(g.key.norm)}</td><td>${esc(
      g.key.softmax,
    )}</td><td class="num">${g.n}</td>${heatTd(g.splits.train.copyAccuracy.mean, pm(g.splits.train.copyAccuracy), [0, 1])}${heatTd(
      e.copyAccuracy.mean,
      pm(e.copyAccuracy),
      [0, 1],
    )}<td class="num">${esc(pm(e.loss, 3))}</td><td>${esc(bt.label)}</td>${heatTd(t.mean[bt.index], pm(stat(t, bt.index)), domain)}<td>${esc(
      bk.label,
    )}</td>${heatTd(k.mean[bk.index], pm(stat(k, bk.index)), domain)}</tr>`;
  });
  return `<table class="data"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function scoreMatrix(s: ScoreSummary, domain: [number, number]): string {
  const cols = Array.from({ length: s.heads }, (_, h) => `<th>H${h}</th>`).join('');
  const rows: string[] = [];
  for (let l = s.layers - 1; l >= 0; l--) {
    const cells = Array.from({ length: s.heads }, (_, h) => {
      const i = l * s.heads + h;
      return heatTd(s.mean[i], s.n > 1 ? `${fmt(s.mean[i])} ± ${fmt(s.std[i])}` : fmt(s.mean[i]), domain);
    }).join('');
    rows.push(`<tr><th>L${l}</th>${cells}</tr>`);
  }
  return `<table class="matrix"><thead><tr><th></th>${cols}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function detailSection(groups: RunGroup[], domain: [number, number]): string {
  return groups
    .map((g) => {
      const blocks = (['eval', 'train'] as const)
        .map((split) =>
          DEFINITIONS.map(
            (d: Definition) =>
              `<div class="block"><h4>${esc(split)} · ${esc(definitionLabel(d))}</h4>${scoreMatrix(g.splits[split].scores[d], domain)}<p class="muted">copy acc ${esc(
                pm(g.splits[split].copyAccuracy),
              )} · loss ${esc(pm(g.splits[split].loss, 3))}</p></div>`,
          ).join(''),
        )
        .join('');
      return `<details><summary>${esc(groupLabel(g))} <span class="muted">(n=${g.n}: ${esc(g.runIds.join(', '))})</span></summary><div class="blocks">${blocks}</div></details>`;
    })
    .join('\n');
}

function runTable(sweep: Sweep): string {
  const rank = (r: Sweep['runs'][number]): (number | string)[] => {
    const c = r.scores.config;
    return [PRECISIONS.indexOf(c.precision), c.embedSize, c.numHeads, POS_EMBEDS.indexOf(c.posEmbed), NORM_MODES.indexOf(c.norm), SOFTMAX_MODES.indexOf(c.softmax), c.seed, r.runId];
  };
  const sorted = [...sweep.runs].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] < rb[i] ? -1 : 1;
    return 0;
  });
  const rows = sorted.map((r) => {
    const c = r.scores.config;
    const json = r.config ? `<details><summary>config.json</summary><pre>${esc(JSON.stringify(r.config, null, 2))}</pre></details>` : '<span class="muted">no config.json</span>';
    return `<tr><td><code>${esc(r.runId)}</code></td><td>${esc(precisionLabel(c.precision))}</td><td class="num">${c.embedSize}</td><td class="num">${c.numHeads}</td><td class="num">${c.numLayers}</td><td>${esc(c.posEmbed)}</td><td>${esc(c.norm)}</td><td>${esc(c.softmax)}</td><td class="num">${c.seed}</td><td class="num">${r.scores.steps}</td><td class="num">${esc(
      fmt(r.scores.seconds / 60, 1),
    )}</td><td>${esc(r.scores.backend)}</td><td class="num">${esc(fmt(r.scores.splits.eval.copyAccuracy))}</td><td>${json}</td></tr>`;
  });
  const head = ['run', 'precision', 'embed', 'heads', 'layers', 'positions', 'norm', 'softmax', 'seed', 'steps', 'minutes', 'backend', 'eval copy acc', 'config'];
  return `<table class="data"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function overview(sweep: Sweep): string {
  const runs = sweep.runs.map((r) => r.scores.config);
  const values = <T>(f: (c: (typeof runs)[number]) => T, order: readonly T[] = []): string =>
    [...new Set(runs.map(f))]
      .sort((a, b) => order.indexOf(a) - order.indexOf(b) || (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0))
      .map(String)
      .join(', ');
  const rows: [string, string][] = [
    ['complete runs', String(sweep.runs.length)],
    ['incomplete runs', String(sweep.incomplete.length)],
    ['precisions', values((c) => c.precision, PRECISIONS)],
    ['embed sizes', [...new Set(runs.map((c) => c.embedSize))].sort((a, b) => a - b).join(', ')],
    ['head counts', [...new Set(runs.map((c) => c.numHeads))].sort((a, b) => a - b).join(', ')],
    ['layers', values((c) => c.numLayers)],
    ['positional modes', values((c) => c.posEmbed, POS_EMBEDS)],
    ['norm modes', values((c) => c.norm, NORM_MODES)],
    ['softmax', values((c) => c.softmax, SOFTMAX_MODES)],
    ['seeds', [...new Set(runs.map((c) => c.seed))].sort((a, b) => a - b).join(', ')],
    ['backends', [...new Set(sweep.runs.map((r) => r.scores.backend))].join(', ')],
  ];
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

const CSS = `
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#111;line-height:1.4}
h1{font-size:24px}h2{font-size:19px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:16px}h4{font-size:13px;margin:6px 0}
nav ul{columns:3;padding-left:18px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #d0d0d0;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{width:160px}
table.matrix td{min-width:70px}
.muted{color:#666;font-size:12px}
figure{margin:16px 0 28px}figure svg{max-width:100%;height:auto}
figcaption{font-size:13px;color:#333;margin-top:4px}
details{margin:4px 0}summary{cursor:pointer}
.blocks{display:flex;flex-wrap:wrap;gap:16px}
pre{background:#f7f7f7;padding:8px;font-size:11px;max-height:360px;overflow:auto}
.scroll{overflow-x:auto}
`;

async function figuresHtml(figures: FigureSpec[], options: ReportOptions, prefix: string): Promise<string> {
  const parts: string[] = [];
  let i = 0;
  for (const f of figures) {
    const svg = await renderSvg(f.spec, options);
    const id = `${prefix}${i++}`;
    parts.push(`<figure id="${esc(id)}">${inlineSvg(svg, `${id}-`, f.title)}</figure>`);
  }
  return parts.join('\n');
}

/**
 * Writes one self-contained HTML report of the sweep in `dir` and returns its path.
 * Throws like `readSweep` for an empty or corrupt sweep.
 */
export async function writeReport(dir: string, options: ReportOptions = {}): Promise<string> {
  const sweep = await readSweep(dir);
  let file = resolve(options.out ?? join(sweep.dir, 'report.html'));
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'report.html');
  } catch {
    // does not exist yet: a file path
  }
  const domain = options.domain ?? [0, 1];
  const original = options.originalScores === undefined ? undefined : await loadOriginalScores(options.originalScores);
  const scores = sweep.runs.map((r) => r.scores);
  const runMaps = options.runMaps ?? scores.length <= 12;
  const figures = sweepFigureSpecs(scores, {
    domain,
    splits: options.splits ?? ['eval'],
    runMaps,
    ...(original ? { original } : {}),
  });
  const curves = await sweepCurveSpecs(sweep);
  const groups = sortGroups(summariseRuns(scores, [...GROUP_BY]));
  const title = options.title ?? `Induction-head sweep: ${sweep.name}`;

  const sections: [string, string, string][] = [];
  sections.push(['overview', 'Overview', overview(sweep)]);
  sections.push([
    'configs',
    'Scores and copy accuracy per configuration',
    `<p class="muted">Mean ± sample std over seeds (n = runs). Best head = the layer.head with the highest mean eval score. Score definitions: target = attention from the last input position (second &amp;) to the token after the first &amp;; token = Olsson et al.'s token-based score (attention to keys whose previous token equals the query token).</p><div class="scroll">${configTable(groups, domain)}</div>`,
  ]);
  const byKind = (kind: FigureSpec['kind']): FigureSpec[] => figures.filter((f) => f.kind === kind);
  sections.push(['grids', 'Layer × head grids (study figures)', await figuresHtml(byKind('grid'), options, 'grid')]);
  const diffs = byKind('difference');
  if (diffs.length) sections.push(['differences', 'FP minus low-precision', await figuresHtml(diffs, options, 'diff')]);
  if (curves.length) sections.push(['curves', 'Training curves', await figuresHtml(curves, options, 'curve')]);
  const comparisons = byKind('comparison');
  if (comparisons.length) {
    sections.push([
      'original',
      'Ours vs the original study',
      `<p class="muted">${esc(original?.description ?? '')}</p>${await figuresHtml(comparisons, options, 'cmp')}`,
    ]);
  }
  const maps = byKind('run');
  if (maps.length) sections.push(['run-maps', 'Per-run maps', await figuresHtml(maps, options, 'run')]);
  sections.push(['details', 'Per-configuration score tables', detailSection(groups, domain)]);
  sections.push(['runs', 'Runs and their configurations', `<div class="scroll">${runTable(sweep)}</div>`]);
  if (sweep.incomplete.length) {
    sections.push([
      'incomplete',
      'Incomplete runs (not in any figure or table)',
      `<table class="data"><thead><tr><th>run</th><th>directory</th><th>reason</th></tr></thead><tbody>${sweep.incomplete
        .map((r) => `<tr><td><code>${esc(r.runId)}</code></td><td><code>${esc(r.dir)}</code></td><td>${esc(r.reason)}</td></tr>`)
        .join('')}</tbody></table>`,
    ]);
  }

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="muted">Sweep directory <code>${esc(sweep.dir)}</code> · ${sweep.runs.length} complete run${
    sweep.runs.length === 1 ? '' : 's'
  }, ${sweep.incomplete.length} incomplete · generated ${esc(new Date().toISOString())} by @ihc/plot</p></header>
<nav><ul>${sections.map(([id, h]) => `<li><a href="#${esc(id)}">${esc(h)}</a></li>`).join('')}</ul></nav>
${sections.map(([id, h, body]) => `<section id="${esc(id)}"><h2>${esc(h)}</h2>\n${body}\n</section>`).join('\n')}
</body>
</html>
`;
  await writeFileAtomic(file, html);
  return file;
}
