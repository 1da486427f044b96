#!/usr/bin/env node
// `yarn test:stress [runs] [busy]`: the whole jest suite `runs` times in a row (default 5) while
// `busy` processes (default 2, one per core here) spin on the CPU, to prove that no test depends
// on the machine being idle. Type checking runs once, before the first run. Every run's
// "N passed, N failed" line is kept; the closing line adds them up.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const busy = Number(process.argv[3] ?? 2);
if (!(runs >= 1) || !(busy >= 0)) {
  console.error('usage: yarn test:stress [runs >= 1] [busy processes >= 0]');
  process.exit(2);
}

const spinners = Array.from({ length: busy }, () =>
  spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }),
);
const stopSpinners = () => spinners.forEach(s => s.kill('SIGKILL'));
process.on('exit', stopSpinners);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}

const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['--noEmit'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync(join(root, '.meshstage'), { recursive: true });
const log = [];
let passed = 0;
let failed = 0;
for (let i = 1; i <= runs; i++) {
  const started = Date.now();
  console.log(`== stress run ${i}/${runs} with ${busy} busy processes`);
  const out = spawnSync(process.execPath, [join(root, 'scripts/test.mjs')], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, MESHSTAGE_SKIP_TSC: '1' },
  });
  const text = `${out.stdout}${out.stderr}`;
  writeFileSync(join(root, '.meshstage', `stress-run-${i}.log`), text);
  const m = /^(?:\w+: )?(\d+) passed, (\d+) failed.*$/m.exec(
    text.split('\n').reverse().join('\n'),
  );
  const line = m ? m[0] : `no summary (exit ${out.status})`;
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  passed += m ? Number(m[1]) : 0;
  // A run that exits non-zero counts as failed even when its summary says 0 failed.
  failed +=
    m && (Number(m[2]) > 0 || out.status === 0)
      ? Number(m[2])
      : Math.max(1, m ? Number(m[2]) : 1);
  log.push(`run ${i}: ${line} (exit ${out.status}, ${minutes} min)`);
  console.log(log[log.length - 1]);
  // Name the failing tests, so a flake can be found without reading the whole log.
  for (const f of text.match(/^\s*● .+$/gm) ?? []) console.log(`  ${f.trim()}`);
}
console.log(log.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
