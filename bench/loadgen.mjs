#!/usr/bin/env node
// `yarn bench:loadgen`: keeps meshperf (packages/loadgen) honest against wrk and
// autocannon on this machine, in one run:
//
//   1. max throughput against a local nginx (Debian nginx-light): wrk, autocannon
//      and meshperf as people run it (no --engine: net for this http:// URL),
//      plus `--engine undici`, with the same connections and duration,
//      interleaved over several rounds; medians and ratios, and how busy
//      nginx's one worker was during wrk;
//   2. constant rate at several rates: achieved rate (ours, and nginx's own
//      request counter) against the requested one; a few rates also with
//      `--engine undici`;
//   3. the stall test: a local server that stops answering for 1 s every 4 s;
//      meshperf's constant-rate p99 against the p99 the pauses imply, beside
//      what wrk (closed loop) reports for the same server.
//
// Environment: BENCH_DURATION (s, default 5), BENCH_ROUNDS (default 3),
// BENCH_CONNECTIONS (default 50), BENCH_RATES (default 1000,5000,10000,20000),
// BENCH_UNDICI_RATES (rates also run with --engine undici; default 10000).
// Needs nginx and wrk (apt-get install -y nginx-light wrk); tries to install them when run as root.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './util.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const meshperfBin = join(root, 'packages/loadgen/bin/meshperf');
const autocannonBin = join(root, 'node_modules/autocannon/autocannon.js');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RATES = (process.env.BENCH_RATES ?? '1000,5000,10000,20000')
  .split(',')
  .map(Number);
const UNDICI_RATES = (process.env.BENCH_UNDICI_RATES ?? '10000')
  .split(',')
  .filter(Boolean)
  .map(Number);

const log = line => process.stdout.write(`${line}\n`);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = n => Math.round(n).toLocaleString('en-US');

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], {
    encoding: 'utf8',
  }).stdout.trim();
}

function ensureTools() {
  const missing = () =>
    ['nginx', 'wrk'].filter(c => !which(c) && !existsSync(`/usr/sbin/${c}`));
  if (missing().length && process.getuid?.() === 0) {
    log(
      `installing ${missing().join(', ')} (apt-get install -y nginx-light wrk)`,
    );
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = spawnSync('apt-get', ['install', '-y', 'nginx-light', 'wrk'], {
      stdio: 'inherit',
      env,
    });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
      r = spawnSync('apt-get', ['install', '-y', 'nginx-light', 'wrk'], {
        stdio: 'inherit',
        env,
      });
    }
  }
  if (missing().length) {
    console.error(
      `bench: missing ${missing().join(
        ', ',
      )}: apt-get install -y nginx-light wrk`,
    );
    process.exit(2);
  }
  if (!existsSync(autocannonBin)) {
    console.error('bench: autocannon is not installed (root devDependency)');
    process.exit(2);
  }
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise(resolve => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Runs a command to completion and returns its stdout. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', c => (out += c));
    child.stderr.on('data', c => (err += c));
    child.on('error', reject);
    child.on('close', code =>
      code === 0 || code === 1
        ? resolve(out)
        : reject(new Error(`${cmd} exited ${code}: ${err.trim()}`)),
    );
  });
}

async function startNginx(dir, port) {
  for (const d of ['logs', 'body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location = /nginx_status { stub_status; }
    location / { return 200 "hello\\n"; }
  }
}
`,
  );
  const nginx = which('nginx') || '/usr/sbin/nginx';
  const child = spawn(nginx, ['-c', join(dir, 'nginx.conf'), '-p', dir], {
    stdio: 'ignore',
  });
  await waitForPort(port);
  return child;
}

/** The pids of nginx's worker processes (children of the master). */
function nginxWorkers(masterPid) {
  try {
    return readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds (user + system) the given processes have used so far. */
function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      return NaN;
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** nginx's own count of requests it has handled (stub_status). */
async function nginxRequests(port) {
  const res = await fetch(`http://127.0.0.1:${port}/nginx_status`);
  const text = await res.text();
  // "Active connections: 1\nserver accepts handled requests\n 5 5 9\n..."
  return Number(text.split('\n')[2].trim().split(/\s+/)[2]);
}

const meshperf = async args =>
  JSON.parse(await run(node, [meshperfBin, ...args, '-o', 'json']));

/** The engine meshperf reports it ran (config.engine), checked to be the expected one. */
function engineOf(result, expected) {
  const engine = result.config.engine;
  if (engine !== expected)
    throw new Error(`meshperf ran engine ${engine}, expected ${expected}`);
  return engine;
}

async function wrk(
  url,
  { threads = 1, connections = CONNECTIONS, duration = DURATION } = {},
) {
  const out = await run(which('wrk'), [
    `-t${threads}`,
    `-c${connections}`,
    `-d${duration}s`,
    '--latency',
    url,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const toMs = (v, unit) => Number(v) * { us: 0.001, ms: 1, s: 1000 }[unit];
  const pct = {};
  for (const m of out.matchAll(/^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$/gm))
    pct[m[1]] = toMs(m[2], m[3]);
  return { rps, pct, out };
}

async function autocannon(
  url,
  { connections = CONNECTIONS, duration = DURATION } = {},
) {
  const args = ['-c', String(connections), '-d', String(duration), '--json'];
  // Like meshperf, autocannon runs on a JIT: both get a 1 s warmup that is not measured.
  args.push('--warmup', '[', '-c', String(connections), '-d', '1', ']');
  const out = await run(node, [autocannonBin, ...args, url]);
  // With a warmup autocannon prints the warmup's JSON line first, then the run's.
  const r = JSON.parse(out.trim().split('\n').pop());
  return { rps: r.requests.total / r.duration };
}

async function maxThroughput(url, nginxPid) {
  log(
    `\n== 1. max throughput: ${CONNECTIONS} connections, ${DURATION}s each (meshperf and autocannon after a 1s ` +
      `warmup), ${ROUNDS} rounds, median`,
  );
  // `meshperf` is the command as people type it: no --engine, so meshperf
  // picks its default for this http:// URL (net); the result names it.
  const rows = {
    'wrk -t1': [],
    autocannon: [],
    meshperf: [],
    'meshperf --engine undici': [],
    'wrk -t2': [],
    'meshperf --threads 2': [],
  };
  const load = [
    '-c',
    String(CONNECTIONS),
    '-d',
    `${DURATION}s`,
    '--warmup',
    '1s',
  ];
  // How busy nginx's single worker is while wrk -t1 runs: near 100% means
  // nginx, not the client, sets the ceiling.
  const nginxBusy = [];
  const workers = nginxWorkers(nginxPid);
  let defaultEngine;
  for (let i = 0; i < ROUNDS; i++) {
    const cpu0 = cpuSeconds(workers);
    const t0 = performance.now();
    rows['wrk -t1'].push((await wrk(url)).rps);
    nginxBusy.push(
      (cpuSeconds(workers) - cpu0) / ((performance.now() - t0) / 1000),
    );
    rows.autocannon.push((await autocannon(url)).rps);
    const ours = await meshperf([url, ...load]);
    defaultEngine = engineOf(ours, 'net');
    rows.meshperf.push(ours.requests.perSecond);
    const viaUndici = await meshperf([url, '--engine', 'undici', ...load]);
    engineOf(viaUndici, 'undici');
    rows['meshperf --engine undici'].push(viaUndici.requests.perSecond);
    rows['wrk -t2'].push((await wrk(url, { threads: 2 })).rps);
    rows['meshperf --threads 2'].push(
      (await meshperf([url, ...load, '--threads', '2'])).requests.perSecond,
    );
  }
  const med = Object.fromEntries(
    Object.entries(rows).map(([k, v]) => [k, median(v)]),
  );
  for (const [k, v] of Object.entries(rows)) {
    log(
      `${k.padEnd(22)} ${fmt(med[k]).padStart(8)} req/s   (runs: ${v
        .map(fmt)
        .join(', ')})`,
    );
  }
  const ours = med.meshperf;
  const ours2 = med['meshperf --threads 2'];
  const undici = med['meshperf --engine undici'];
  log(`(meshperf without --engine ran the ${defaultEngine} engine)`);
  log(
    `meshperf / wrk -t1              ${(ours / med['wrk -t1']).toFixed(
      2,
    )}x  (target >= 0.8x)`,
  );
  log(
    `meshperf / autocannon           ${(ours / med.autocannon).toFixed(
      2,
    )}x  (target >= 1.5x)`,
  );
  log(
    `meshperf -t2 / wrk -t2          ${(ours2 / med['wrk -t2']).toFixed(2)}x`,
  );
  log(
    `meshperf --engine undici / wrk  ${(undici / med['wrk -t1']).toFixed(
      2,
    )}x;  / autocannon ${(undici / med.autocannon).toFixed(2)}x`,
  );
  if (workers.length)
    log(
      `nginx worker CPU during wrk -t1       ${nginxBusy
        .map(b => `${Math.round(b * 100)}%`)
        .join(', ')} (1 core: wrk's rate is nginx's limit when near 100%)`,
    );
  return med;
}

async function constantRate(url, port) {
  log(
    `\n== 2. constant rate: ${CONNECTIONS} connections, 1s warmup + ${DURATION}s measured`,
  );
  log(
    'requested   achieved (meshperf)   nginx count / expected   p50      p99      send lag p99',
  );
  const out = [];
  const runs = [
    ...RATES.map(rate => ({ rate, engine: 'net' })),
    ...UNDICI_RATES.map(rate => ({ rate, engine: 'undici' })),
  ];
  for (const { rate, engine } of runs) {
    const before = await nginxRequests(port);
    const r = await meshperf([
      url,
      ...(engine === 'undici' ? ['--engine', 'undici'] : []),
      '-c',
      String(CONNECTIONS),
      '-R',
      String(rate),
      '-d',
      `${DURATION}s`,
      '--warmup',
      '1s',
    ]);
    // The status request itself is one more than the load sent.
    const served = (await nginxRequests(port)) - before - 1;
    const expected = rate * (DURATION + 1);
    const achieved = r.requests.perSecond;
    engineOf(r, engine);
    const label = engine === 'undici' ? `undici ${fmt(rate)}` : fmt(rate);
    log(
      `${label.padStart(9)}   ${fmt(achieved).padStart(8)} (${(
        (achieved / rate - 1) *
        100
      ).toFixed(2)}%)` +
        `      ${fmt(served)} / ${fmt(expected)}` +
        `        ${r.latencyMs.p50.toFixed(2)}ms   ${r.latencyMs.p99.toFixed(
          2,
        )}ms   ${r.sendLagMs.p99.toFixed(2)}ms`,
    );
    out.push({
      rate,
      engine,
      achieved,
      served,
      expected,
      p50: r.latencyMs.p50,
      p99: r.latencyMs.p99,
    });
  }
  return out;
}

async function startStallServer(pause, period, offset) {
  const port = await freePort();
  const child = spawn(
    node,
    [
      join(root, 'bench/stall-server.mjs'),
      String(port),
      String(pause),
      String(period),
      String(offset),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', c => (out += c));
  await waitForPort(port);
  const stop = () =>
    new Promise(resolve => {
      child.on('close', () =>
        resolve(
          /held (\d+) of (\d+)/.exec(out)?.slice(1).map(Number) ?? [NaN, NaN],
        ),
      );
      child.kill('SIGTERM');
    });
  return { url: `http://127.0.0.1:${port}/`, stop };
}

async function stallTest() {
  const pause = 1000;
  const period = 4000;
  const offset = 1500;
  const duration = 12;
  const rate = 1000;
  const pauses = Math.floor((duration * 1000 - offset - pause) / period) + 1;
  // Requests due during a pause wait for its end: their latency is uniform in
  // (0, pause]. With n pauses in D seconds, P(latency > x) = n (pause - x) / D,
  // so the 99th percentile is pause - 0.01 D / n (plus the normal service time).
  const implied = pause - (0.01 * duration * 1000) / pauses;
  log(
    `\n== 3. stall test: server pauses ${pause}ms every ${period}ms; ${duration}s at ${rate} req/s, ${CONNECTIONS} connections`,
  );
  let s = await startStallServer(pause, period, offset);
  const ours = await meshperf([
    s.url,
    '-c',
    String(CONNECTIONS),
    '-R',
    String(rate),
    '-d',
    `${duration}s`,
  ]);
  const oursHeld = await s.stop();
  s = await startStallServer(pause, period, offset);
  const max = await meshperf([
    s.url,
    '-c',
    String(CONNECTIONS),
    '-d',
    `${duration}s`,
  ]);
  const maxHeld = await s.stop();
  s = await startStallServer(pause, period, offset);
  const w = await wrk(s.url, { duration });
  const wrkHeld = await s.stop();
  const err = (ours.latencyMs.p99 / implied - 1) * 100;
  const l = ours.latencyMs;
  const held = ([n, of]) => `server held ${n} of ${fmt(of)} requests`;
  log(
    `implied p99 (${pauses} pauses in ${duration}s)   ${implied.toFixed(0)}ms`,
  );
  log(
    `meshperf -R ${rate} p99           ${l.p99.toFixed(0)}ms (${
      err >= 0 ? '+' : ''
    }${err.toFixed(1)}% vs implied; target within 10%)`,
  );
  log(
    `  p50 ${l.p50.toFixed(2)}ms, p90 ${l.p90.toFixed(
      0,
    )}ms, p99.9 ${l.p999.toFixed(0)}ms; ${fmt(
      ours.requests.perSecond,
    )} req/s; ${held(oursHeld)}`,
  );
  log(
    `meshperf max mode p99            ${max.latencyMs.p99.toFixed(
      2,
    )}ms (closed loop)`,
  );
  log(
    `  max ${max.latencyMs.max.toFixed(0)}ms; ${fmt(
      max.requests.perSecond,
    )} req/s; ${held(maxHeld)}`,
  );
  log(
    `wrk -t1 p99 (as wrk reports it)  ${w.pct['99']?.toFixed(
      0,
    )}ms (closed loop)`,
  );
  log(
    `  p50 ${w.pct['50']?.toFixed(2)}ms, p90 ${w.pct['90']?.toFixed(
      0,
    )}ms; ${fmt(w.rps)} req/s; ${held(wrkHeld)}`,
  );
  return { implied, ours: ours.latencyMs, max: max.latencyMs, wrk: w.pct };
}

async function main() {
  ensureTools();
  const dir = mkdtempSync(join(tmpdir(), 'meshperf-bench-'));
  const port = await freePort();
  const nginx = await startNginx(dir, port);
  const stop = () => {
    nginx.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    const url = `http://127.0.0.1:${port}/`;
    const load = () =>
      loadavg()
        .map(l => l.toFixed(2))
        .join(' ');
    log(
      `meshperf bench: node ${process.version}, ${cpus().length} CPUs (${
        cpus()[0]?.model
      }), nginx 1 worker at ${url}; load average ${load()}`,
    );
    await maxThroughput(url, nginx.pid);
    await constantRate(url, port);
    await stallTest();
    log(`\nload average at the end: ${load()}`);
  } finally {
    stop();
  }
}

main().catch(e => {
  console.error(`bench: ${e.message}`);
  process.exit(1);
});
