#!/usr/bin/env node
// Compiles csrc/ihc_native.c into build/ihc_native.node (an N-API addon linked against
// the system OpenBLAS). Needs a C compiler, Node's headers and libopenblas-dev (Debian:
// apt-get install build-essential libopenblas-dev). With --optional a missing toolchain
// prints one line and exits 0, so installing the package never fails; @ihc/native then
// reports itself unavailable (nativeStatus()) and training stays on TF.js.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const optional = process.argv.includes('--optional');
const source = join(root, 'csrc', 'ihc_native.c');
const outDir = join(root, 'build');
const out = join(outDir, 'ihc_native.node');

function fail(message) {
  if (optional) {
    console.log(`@ihc/native: not built (${message}); training uses TF.js.`);
    process.exit(0);
  }
  console.error(`@ihc/native: ${message}`);
  process.exit(1);
}

const includeCandidates = [
  process.env.IHC_NODE_INCLUDE,
  resolve(dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter(Boolean);
const include = includeCandidates.find((dir) => existsSync(join(dir, 'node_api.h')));
if (!include) fail(`Node's headers (node_api.h) not found in ${includeCandidates.join(', ')}; set IHC_NODE_INCLUDE`);
const cc = process.env.CC || 'cc';
mkdirSync(outDir, { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const args = [
  '-O3', '-march=native', '-fopenmp-simd', '-fPIC', '-shared', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror=implicit-function-declaration',
  '-DNODE_GYP_MODULE_NAME=ihc_native', `-I${include}`,
  source, '-o', tmp, '-lopenblas', '-lm',
];
const r = spawnSync(cc, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (r.error || r.status !== 0) {
  rmSync(tmp, { force: true });
  const why = r.error ? `${cc}: ${r.error.message}` : (r.stderr || '').trim().split('\n').slice(-3).join(' | ');
  fail(`compiling failed: ${why} (needs a C compiler and libopenblas-dev)`);
}
if (r.stderr.trim()) process.stderr.write(r.stderr);
renameSync(tmp, out); // atomic: a half-written addon is never loaded
console.log(`@ihc/native: built ${out}`);
