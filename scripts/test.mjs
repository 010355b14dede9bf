#!/usr/bin/env node
// `npm test`: installs missing Debian packages the tests need, builds, runs every
// package's jest suite (through turbo) and the notebooks, then prints one line
// `tests: N passed, N failed`. Exit code 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;

run('bash', ['scripts/system-deps.sh']);
if (!existsSync(join(root, 'node_modules'))) run('npm', ['ci']);
for (const name of readdirSync(join(root, 'packages'))) {
  rmSync(join(root, 'packages', name, 'test-results.json'), { force: true });
}
const extra = [];
const testStatus = run('npx', ['turbo', 'run', 'test', '--concurrency=1', '--continue', ...process.argv.slice(2)]);
if (existsSync(join(root, 'scripts', 'notebooks.mjs'))) {
  run('node', ['scripts/notebooks.mjs', '--results', 'examples/notebooks/.results.json']);
  extra.push('examples/notebooks/.results.json');
}
const summary = spawnSync(process.execPath, ['scripts/test-summary.mjs', ...extra], { cwd: root, encoding: 'utf8' });
process.stdout.write(summary.stdout);
const failed = /tests: \d+ passed, (\d+) failed/.exec(summary.stdout);
process.exit(testStatus !== 0 || !failed || failed[1] !== '0' ? 1 : 0);
