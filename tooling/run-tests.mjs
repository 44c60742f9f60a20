#!/usr/bin/env node
// `pnpm test`: every package's tests through turbo, one package at a time (each starts its own
// Postgres and the machine has two cores), then one total line for the whole monorepo.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = ['packages', 'apps'].flatMap((group) => {
  const dir = path.join(root, group);
  return existsSync(dir) ? readdirSync(dir).map((name) => path.join(dir, name, '.test-results.json')) : [];
}).concat(path.join(root, 'tooling', '.test-results.json'));
for (const report of reports) rmSync(report, { force: true });

const extra = process.argv.slice(2);
const run = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue', ...extra], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TZ: 'UTC' },
});

let passed = 0;
let failed = 0;
let files = 0;
for (const report of reports.filter((file) => existsSync(file))) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests + (result.numFailedTestSuites > 0 && result.numFailedTests === 0 ? 1 : 0);
  files += result.testResults.length;
}
console.log(`\nAll packages: ${files} test files`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
