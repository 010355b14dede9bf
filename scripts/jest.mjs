#!/usr/bin/env node
// Runs jest for the package in the current directory and keeps a machine-readable
// result (test-results.json) so .ci/run can print one `tests: N passed, N failed` line.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const jestBin = require.resolve('jest/bin/jest');
const args = [jestBin, '--json', '--outputFile=test-results.json', ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { stdio: ['inherit', 'ignore', 'inherit'] });
process.exit(r.status ?? 1);
