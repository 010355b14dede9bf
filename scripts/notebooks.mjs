#!/usr/bin/env node
// Checks and runs the example notebooks (examples/notebooks/*.ipynb, TypeScript on the
// Deno Jupyter kernel):
//   1. builds the packages (`npx turbo run build`; the notebooks import dist/),
//   2. type-checks every notebook's code cells with tsc (Deno does not check types),
//   3. executes every notebook with `jupyter nbconvert --execute` into a temp copy (the
//      committed file is left as it is) and fails on a cell that throws or times out,
//   4. checks that the committed notebook carries its outputs (every code cell executed,
//      in order, no error output).
//
// Usage: node scripts/notebooks.mjs [options] [notebook names or numbers...]
//   --update          write the executed notebooks back in place (commit them)
//   --results FILE    write { "passed": N, "failed": M } to FILE (scripts/test.mjs)
//   --timeout S       seconds per notebook (default 300, or $IHC_NOTEBOOK_TIMEOUT)
//   --no-build        skip the build step
//   --no-typecheck    skip the tsc step
//   --open [ARGS]     start `jupyter notebook [ARGS]` on examples/notebooks with the same env
//
// Needs Debian's Jupyter (jupyter-nbconvert, python3-ipykernel, jupyter-client,
// python3-nbclient; scripts/system-deps.sh installs them) and the `deno` devDependency.
// When either is missing it says why and counts every notebook as failed.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const root = resolve(new URL('..', import.meta.url).pathname);
const notebookDir = join(root, 'examples', 'notebooks');
const deno = join(root, 'node_modules', '.bin', 'deno');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

// ---------------------------------------------------------------- arguments
const args = process.argv.slice(2);
const opts = { update: false, results: undefined, timeout: Number(process.env.IHC_NOTEBOOK_TIMEOUT) || 300, build: true, typecheck: true, open: false, jupyterArgs: [], only: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--update') opts.update = true;
  else if (a === '--results') opts.results = resolve(args[++i] ?? '');
  else if (a === '--timeout') opts.timeout = Number(args[++i]);
  else if (a === '--no-build') opts.build = false;
  else if (a === '--no-typecheck') opts.typecheck = false;
  else if (a === '--open') {
    opts.open = true;
    opts.jupyterArgs = args.slice(i + 1); // the rest goes to `jupyter notebook`
    break;
  }
  else if (a === '--help' || a === '-h') {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
    process.exit(0);
  } else if (a.startsWith('--')) {
    console.error(`notebooks: unknown option ${a}; valid: --update, --results FILE, --timeout S, --no-build, --no-typecheck, --open`);
    process.exit(2);
  } else opts.only.push(a);
}
if (!Number.isFinite(opts.timeout) || opts.timeout <= 0) {
  console.error(`notebooks: --timeout must be a positive number of seconds; got ${opts.timeout}`);
  process.exit(2);
}

// ---------------------------------------------------------------- environment
const runtimeDir = join(root, '.jupyter-runtime');
const env = {
  ...process.env,
  DENO_DIR: join(root, '.deno'),
  JUPYTER_PATH: [notebookDir, process.env.JUPYTER_PATH].filter(Boolean).join(':'),
  JUPYTER_RUNTIME_DIR: runtimeDir,
  DENO_NO_UPDATE_CHECK: '1',
  NO_COLOR: '1',
  PYDEVD_DISABLE_FILE_VALIDATION: '1',
  PYTHONPATH: [join(notebookDir, 'kernels'), process.env.PYTHONPATH].filter(Boolean).join(':'),
  PYTHONDONTWRITEBYTECODE: '1',
};
mkdirSync(runtimeDir, { recursive: true });

if (opts.open) {
  const child = spawn('jupyter', ['notebook', notebookDir, ...opts.jupyterArgs], { cwd: root, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
  child.on('error', (e) => {
    console.error(`notebooks: cannot start jupyter notebook (${e.message}); install Debian's jupyter-notebook`);
    process.exit(1);
  });
} else {
  process.exit(main());
}

// ---------------------------------------------------------------- main
function main() {
  const all = readdirSync(notebookDir).filter((f) => f.endsWith('.ipynb')).sort();
  const notebooks = opts.only.length ? all.filter((f) => opts.only.some((o) => f === o || f.startsWith(o) || f === `${o}.ipynb`)) : all;
  if (notebooks.length === 0) {
    console.error(`notebooks: no notebook matches ${opts.only.join(' ')}; have: ${all.join(', ')}`);
    return finish([], notebooks.length || 1);
  }
  const results = new Map(notebooks.map((n) => [n, { ok: true, reasons: [], seconds: 0 }]));
  const failAll = (why) => {
    console.error(`notebooks: ${why}`);
    for (const [name, r] of results) {
      r.ok = false;
      r.reasons.push(why);
      console.log(`FAIL ${name} (not run)`);
    }
    return report(results);
  };

  // Prerequisites.
  if (!existsSync(deno)) return failAll(`deno not found at ${relative(root, deno)}: run \`npm ci\` (the \`deno\` devDependency provides it)`);
  const nbconvert = spawnSync('jupyter', ['nbconvert', '--version'], { env, encoding: 'utf8' });
  if (nbconvert.error || nbconvert.status !== 0) {
    return failAll('jupyter nbconvert is not installed: install Debian\'s jupyter-nbconvert, python3-ipykernel, jupyter-client and python3-nbclient (`bash scripts/system-deps.sh` as root)');
  }
  const specs = spawnSync('jupyter', ['kernelspec', 'list', '--json'], { env, encoding: 'utf8' });
  let found;
  try { found = JSON.parse(specs.stdout).kernelspecs?.deno?.resource_dir; } catch { /* reported below */ }
  if (!found || resolve(found) !== join(notebookDir, 'kernels', 'deno')) {
    return failAll(`jupyter does not pick the repository's deno kernel spec (${relative(root, notebookDir)}/kernels/deno; found: ${found ?? 'none'}; JUPYTER_PATH=${env.JUPYTER_PATH})`);
  }

  // Build.
  if (opts.build) {
    console.log('notebooks: building packages (npx turbo run build)');
    const b = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], { cwd: root, env, stdio: 'inherit' });
    if (b.status !== 0) return failAll('the build failed (npx turbo run build); the notebooks import the built packages');
  }

  // Type-check.
  if (opts.typecheck) typecheck(notebooks, results);

  // Execute.
  const outDir = mkdtempSync(join(tmpdir(), 'ihc-notebooks-'));
  try {
    for (const name of notebooks) execute(name, outDir, results.get(name));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return report(results);
}

// ---------------------------------------------------------------- type-check
function typecheck(notebooks, results) {
  const dir = join(runtimeDir, 'typecheck');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const maps = new Map(); // file -> [{ line, cell }] (first line of each cell)
  const files = [];
  for (const name of notebooks) {
    const nb = JSON.parse(readFileSync(join(notebookDir, name), 'utf8'));
    const lines = ['export {};'];
    const starts = [];
    let cellNo = 0;
    for (const cell of nb.cells) {
      cellNo++;
      if (cell.cell_type !== 'code') continue;
      lines.push(`// ---- cell ${cellNo}`);
      starts.push({ line: lines.length + 1, cell: cellNo });
      lines.push(...[].concat(cell.source).join('').split('\n'));
    }
    const file = join(dir, name.replace(/\.ipynb$/, '.ts'));
    writeFileSync(file, lines.join('\n') + '\n');
    maps.set(file, { name, starts });
    files.push(file);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(notebookDir, 'tsconfig.json'), files: [join(notebookDir, 'deno-jupyter.d.ts'), ...files] }, null, 2));
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: root, env, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  const errors = new Map();
  let other = [];
  for (const line of out.split('\n')) {
    const m = /^(.*?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    const file = m && resolve(root, m[1]);
    const entry = file && maps.get(file);
    if (!entry) { if (line.trim()) other.push(line); continue; }
    const ln = Number(m[2]);
    const start = [...entry.starts].reverse().find((s) => s.line <= ln);
    const where = start ? `cell ${start.cell}, line ${ln - start.line + 1}` : `line ${ln}`;
    const list = errors.get(entry.name) ?? [];
    list.push(`${where}: ${m[4]}`);
    errors.set(entry.name, list);
  }
  if (r.status !== 0 && errors.size === 0) {
    // tsc failed without pointing into a notebook (bad config, missing dist): every notebook fails.
    for (const [name, res] of results) { res.ok = false; res.reasons.push(`tsc failed: ${other.slice(0, 5).join(' | ') || r.error?.message || `exit ${r.status}`}`); }
  }
  for (const [name, list] of errors) {
    const res = results.get(name);
    res.ok = false;
    res.reasons.push(`type errors (tsc):\n    ${list.join('\n    ')}`);
  }
  console.log(`notebooks: type-checked ${notebooks.length} notebook(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s${errors.size ? `; ${errors.size} with errors` : ''}`);
}

// ---------------------------------------------------------------- execute
function execute(name, outDir, res) {
  const input = join(notebookDir, name);
  const committed = JSON.parse(readFileSync(input, 'utf8'));
  const t0 = Date.now();
  const r = spawnSync(
    'jupyter',
    [
      // nbconvert --execute, with a preprocessor that also keeps outputs Deno's kernel
      // publishes just after a cell's idle status (see examples/notebooks/kernels/deno_execute.py).
      'nbconvert', '--to', 'notebook',
      '--NotebookExporter.preprocessors=["deno_execute.DenoExecutePreprocessor"]',
      '--DenoExecutePreprocessor.enabled=True',
      `--DenoExecutePreprocessor.timeout=${Math.ceil(opts.timeout)}`,
      '--DenoExecutePreprocessor.record_timing=False',
      '--output-dir', outDir, '--output', name,
      input,
    ],
    { cwd: notebookDir, env, encoding: 'utf8', timeout: (opts.timeout + 30) * 1000, killSignal: 'SIGKILL' },
  );
  res.seconds = (Date.now() - t0) / 1000;
  const executedFile = join(outDir, name);
  if (r.error?.code === 'ETIMEDOUT' || r.signal) {
    res.ok = false;
    res.reasons.push(`timed out after ${opts.timeout} s`);
  } else if (r.status !== 0 || !existsSync(executedFile)) {
    res.ok = false;
    res.reasons.push(`execution failed:\n${tail(r.stderr, 40)}`);
  } else {
    const executed = JSON.parse(readFileSync(executedFile, 'utf8'));
    const errs = errorOutputs(executed);
    if (errs.length) { res.ok = false; res.reasons.push(`error output in ${errs.join(', ')}`); }
    const silent = silentCells(executed);
    if (silent.length) {
      res.ok = false;
      res.reasons.push(`${silent.join(', ')} showed nothing: every code cell must display its result (\`await show(...)\`), so that a lost or skipped cell cannot pass unnoticed`);
    }
    if (res.ok && opts.update) {
      const tmp = `${input}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(executed, null, 1) + '\n');
      renameSync(tmp, input);
    }
  }
  if (!opts.update) {
    const stale = unexecuted(committed);
    if (stale) { res.ok = false; res.reasons.push(`the committed notebook lacks its outputs (${stale}); run \`npm run notebooks -- --update ${name.slice(0, 2)}\` and commit it`); }
  }
  const mark = res.ok ? 'PASS' : 'FAIL';
  console.log(`${mark} ${name} (${res.seconds.toFixed(1)} s)${res.ok ? '' : `\n  ${res.reasons.join('\n  ')}`}`);
}

function errorOutputs(nb) {
  const found = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type === 'code' && (cell.outputs ?? []).some((o) => o.output_type === 'error')) found.push(`cell ${i + 1}`);
  });
  return found;
}

function silentCells(nb) {
  const found = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type === 'code' && (cell.outputs ?? []).length === 0) found.push(`cell ${i + 1}`);
  });
  return found;
}

// The committed notebook must have been run top to bottom in one kernel: execution
// counts 1..n in order, and no error outputs.
function unexecuted(nb) {
  let expected = 1;
  for (const [i, cell] of nb.cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    if (cell.execution_count !== expected) return `cell ${i + 1} has execution count ${cell.execution_count}, expected ${expected}`;
    expected++;
  }
  const errs = errorOutputs(nb);
  if (errs.length) return `error output in ${errs.join(', ')}`;
  const silent = silentCells(nb);
  return silent.length ? `no output in ${silent.join(', ')}` : '';
}

// The useful part of nbconvert's stderr: from the failing cell on (not Python's traceback).
function tail(text, n) {
  let lines = String(text ?? '').split('\n').filter((l) => !/^Warning "deno jupyter" is unstable/.test(l) && !/^\[NbConvertApp\]/.test(l));
  const at = lines.findIndex((l) => /An error occurred while executing the following cell/.test(l));
  if (at >= 0) lines = lines.slice(at);
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.slice(-n).map((l) => `    ${l}`).join('\n');
}

// ---------------------------------------------------------------- report
function report(results) {
  const list = [...results.values()];
  const passed = list.filter((r) => r.ok).length;
  return finish(list, list.length - passed, passed);
}

function finish(list, failed, passed = 0) {
  console.log(`notebooks: ${passed} passed, ${failed} failed`);
  if (opts.results) {
    mkdirSync(dirname(opts.results), { recursive: true });
    const tmp = `${opts.results}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ passed, failed }) + '\n');
    renameSync(tmp, opts.results);
  }
  return failed === 0 ? 0 : 1;
}
