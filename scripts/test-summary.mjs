#!/usr/bin/env node
// Sums every package's test-results.json (written by scripts/jest.mjs) into one line:
// `tests: N passed, N failed`. A package whose suite failed to run counts as failed.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', name, 'test-results.json');
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
}
for (const extra of (process.argv.slice(2))) {
  // extra result files: "name:passed:failed" written by non-jest suites (notebooks, e2e)
  if (!existsSync(extra)) continue;
  const r = JSON.parse(readFileSync(extra, 'utf8'));
  passed += r.passed;
  failed += r.failed;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
