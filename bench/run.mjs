#!/usr/bin/env node
// `npm run bench`: runs every benchmark module in bench/ (each exports
// `async function run(options)` returning rows `{ group, name, value, unit, ratio?, note? }`),
// prints one table, and writes the rows as JSON to bench/results/<timestamp>.json and
// bench/results/latest.json. Speed figures are ratios against a baseline measured in the
// same run: absolute times on shared machines are noise.
//
//   node bench/run.mjs [--only score,train,inference] [--quick]
import { readdirSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? new Set(args[onlyIdx + 1].split(',')) : null;
const quick = args.includes('--quick');

const modules = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.replace(/\.mjs$/, ''))
  .filter((name) => !only || only.has(name))
  .sort();

const rows = [];
for (const name of modules) {
  process.stderr.write(`bench: ${name}...\n`);
  const mod = await import(pathToFileURL(join(here, `${name}.mjs`)).href);
  const t0 = Date.now();
  try {
    const out = await mod.run({ quick });
    for (const r of out) rows.push({ group: name, ...r });
  } catch (err) {
    rows.push({ group: name, name: 'error', value: NaN, unit: '', note: String(err?.message ?? err) });
  }
  process.stderr.write(`bench: ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}

function fmt(v) {
  if (typeof v !== 'number') return String(v ?? '');
  if (!Number.isFinite(v)) return 'n/a';
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
const header = ['group', 'name', 'value', 'unit', 'ratio', 'note'];
const table = [header, ...rows.map((r) => [r.group, r.name, fmt(r.value), r.unit ?? '', r.ratio === undefined ? '' : `${fmt(r.ratio)}x`, r.note ?? ''])];
const widths = header.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
const line = (row) => `| ${row.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));

const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()}-${os.arch()}` },
  rows,
};
const dir = join(here, 'results');
mkdirSync(dir, { recursive: true });
const stamp = result.date.replace(/[:.]/g, '-');
for (const file of [`${stamp}.json`, 'latest.json']) {
  const tmp = join(dir, `.${file}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
  renameSync(tmp, join(dir, file));
}
console.log(`\nwrote bench/results/${stamp}.json`);
