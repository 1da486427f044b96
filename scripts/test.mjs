#!/usr/bin/env node
// `yarn test`: type-checks the workspace, then runs every package's jest suite once (not in watch
// mode), and ends with one summary line "N passed, N failed" that CI systems read.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = name => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;

const extra = process.argv.slice(2);
// Extra arguments (a path, -t NAME) or MESHSTAGE_SKIP_TSC=1 (the stress runner, which type-checks
// once) skip the type check.
if (extra.length === 0 && process.env.MESHSTAGE_SKIP_TSC !== '1') {
  console.log('== tsc');
  if (run(bin('tsc'), ['--noEmit']) !== 0) {
    console.log('0 passed, 1 failed');
    console.error('yarn test: type check failed');
    process.exit(1);
  }
}

console.log('== jest');
// Store tests run on SQLite always and on PostgreSQL when this variable names a server
// (`.ci/run` starts Debian's PostgreSQL and sets it); never through Docker, which cannot run here.
const pgVar = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
console.log(
  process.env[pgVar]
    ? `databases: SQLite and PostgreSQL (${pgVar})`
    : `databases: SQLite only (set ${pgVar} to add PostgreSQL)`,
);
mkdirSync(join(root, '.meshstage'), { recursive: true });
const results = join(root, '.meshstage', 'jest-results.json');
rmSync(results, { force: true });
const code = run(
  bin('backstage-cli'),
  ['repo', 'test', '--json', `--outputFile=${results}`, ...extra],
  { CI: 'true', BACKSTAGE_TEST_DISABLE_DOCKER: '1' },
);
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(
    `${r.numPassedTests} passed, ${r.numFailedTests} failed${
      skipped ? `, ${skipped} skipped` : ''
    }`,
  );
  if (r.numTotalTests === 0) {
    console.error('yarn test: no test ran');
    process.exit(1);
  }
}
process.exit(code);
