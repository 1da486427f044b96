#!/usr/bin/env node
// The mesh backend's read routes at portal scale, beside the catalog's by-name route in the same
// run: 5 simulated clusters (packages/kube-sim, each seeded with 200 apps: a Deployment with 2
// pods, half of them with an istio-proxy sidecar, and a Service, in 10 namespaces, plus Istio's
// control plane), 1,000 catalog Components (one per app, with `backstage.io/kubernetes-id`,
// `backstage.io/kubernetes-namespace` and `meshstage.io/cluster`), the real backend
// (packages/backend: catalog, permissions with the allow-all policy, auth, scaffolder, search,
// kubernetes, the mesh plugin and its adapters) on SQLite, one validation scan per cluster.
//
// For each route (the catalog's `GET /api/catalog/entities/by-name/...`, the mesh plugin's
// `GET /api/mesh/entity/.../status` and `.../findings`), 200 connections cycle through the 1,000
// entities for BENCH_DURATION (default 20 s) after a 5 s warm-up, measured twice: with meshperf
// (packages/loadgen) and with autocannon. Prints req/s, p50, p99, errors and timeouts side by
// side, and the backend's RSS idle and at its peak under load, beside the same backend without
// any MeshStage package (packages/backend/src/index.ts with its `@meshstage/` lines left out)
// idle and under the catalog route's load.
//
// Not a test: nothing is asserted; the figures go into docs/performance.md.
//
// Memory: RSS sampled idle (started, catalog ingested, nothing served: both backends alike; the
// MeshStage backend again after its validation scans) and at its peak under load, and, because an RSS sample mostly counts
// garbage not yet collected, RSS and heap in use after two full garbage collections
// (bench/memoryProbe.cjs), idle and right after the load, with the part of that RSS that is V8's
// page pool (pages a collection freed, kept resident for reuse; read from --trace-gc).
//
// BENCH_MODE=built (the default) runs both backends on the workspace's TypeScript transpiled before
// they start, as a built backend runs (bench/transpiledRequire.cjs); BENCH_MODE=dev through
// backstage-cli's on-the-fly transform with inline source maps, as `yarn start` does.
//
// Then the same route again with meshperf at each constant rate of BENCH_RATE (default 100 and
// 300 req/s in all from the same 200 connections: the Mesh tabs of 200 people polling every 2 s,
// and every 0.67 s; coordinated omission corrected), for latency without the queueing a
// closed-loop flood causes: 200 closed-loop connections hold every route's p99 above 100 ms unless
// it serves 2,000 requests a second (Little's law: 200 in flight / 0.1 s).
//
//   node bench/api.mjs          (BENCH_DURATION=30 BENCH_CONNECTIONS=200 BENCH_CLUSTERS=5
//                                BENCH_RATE=100,300 BENCH_ROUTES=catalog,status,findings
//                                BENCH_MODE=built|dev;
//                                BENCH_SKIP_BASELINE=1, BENCH_SKIP_SCANS=1, BENCH_PROBE=1,
//                                BENCH_CPU_PROF=<dir>, BENCH_NODE_ARGS='<node flags>',
//                                BENCH_BACKEND_LOG=<file prefix> for diagnostics)
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sleep } from './util.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const autocannon = require('autocannon');
const { cacheFile, transpile } = require('./bench/transpile.cjs');

const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 5);
const APPS_PER_CLUSTER = Number(process.env.BENCH_APPS ?? 200);
const NAMESPACES = 10;
const WARMUP = 5;
// The paced run: this many requests per second in all from the same connections (the Mesh tabs
// of 200 people polling every 2 s), where latency is measured without queueing behind a flood.
const RATES = (process.env.BENCH_RATE ?? '100,300').split(',').map(Number);
const ROUTES = (process.env.BENCH_ROUTES ?? 'catalog,status,findings').split(
  ',',
);
// A directory: the MeshStage backend runs with --cpu-prof and writes its profile there on exit.
const CPU_PROF = process.env.BENCH_CPU_PROF;
// `built` (the default): both backends run the workspace's TypeScript as JavaScript transpiled
// before they start, as a built backend does (bench/transpiledRequire.cjs). `dev`: through
// backstage-cli's on-the-fly transform with inline source maps, as `yarn start` runs them.
const MODE = process.env.BENCH_MODE ?? 'built';
if (MODE !== 'built' && MODE !== 'dev') {
  throw new Error(`BENCH_MODE must be 'built' or 'dev', not '${MODE}'`);
}

const work = mkdtempSync(join(tmpdir(), 'meshstage-bench-api-'));
const children = [];
function stopAll() {
  for (const child of children) {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function until(what, check, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

// ---- the fleet --------------------------------------------------------------------------------

const appName = (c, i) => `app-${c * APPS_PER_CLUSTER + i}`;
const namespaceOf = i => `team-${i % NAMESPACES}`;

function seedCluster(c) {
  const docs = [];
  for (let n = 0; n < NAMESPACES; n++) {
    docs.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: `team-${n}`,
        labels: { 'istio-injection': 'enabled' },
      },
    });
  }
  for (let i = 0; i < APPS_PER_CLUSTER; i++) {
    const name = appName(c, i);
    const labels = { app: name, 'backstage.io/kubernetes-id': name };
    const containers = [{ name, image: `example/${name}:1` }];
    if (i % 2 === 0) {
      containers.push({
        name: 'istio-proxy',
        image: 'docker.io/istio/proxyv2:1.29.6',
      });
    }
    docs.push(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: namespaceOf(i), labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels }, spec: { containers } },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: namespaceOf(i), labels },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 80 }] },
      },
    );
  }
  const dir = join(work, `seed-${c}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, '50-apps.yaml'),
    docs.map(d => JSON.stringify(d)).join('\n---\n'),
  );
  return dir;
}

async function startCluster(c) {
  const kubeconfig = join(work, `kubeconfig-${c}`);
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/kube-sim/bin/kube-sim'),
      '--port',
      '0',
      '--kubeconfig',
      kubeconfig,
      '--plain-http',
      // Istio's control plane and CRDs, as the dev cluster has them, then the apps.
      '--seed',
      join(root, 'examples/cluster'),
      '--seed',
      seedCluster(c),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push(child);
  await until(`cluster ${c}`, async () => {
    const text = readFileSync(kubeconfig, 'utf8');
    return /server:/.test(text);
  });
  const text = readFileSync(kubeconfig, 'utf8');
  return {
    name: `cluster-${c}`,
    url: text.match(/server:\s*(\S+)/)[1],
    token: text.match(/token:\s*(\S+)/)[1],
  };
}

function writeEntities() {
  const docs = [];
  for (let c = 0; c < CLUSTERS; c++) {
    for (let i = 0; i < APPS_PER_CLUSTER; i++) {
      const name = appName(c, i);
      docs.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          annotations: {
            'backstage.io/kubernetes-id': name,
            'backstage.io/kubernetes-namespace': namespaceOf(i),
            'meshstage.io/cluster': `cluster-${c}`,
            'meshstage.io/mesh': 'istio',
          },
        },
        spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
      });
    }
  }
  const file = join(work, 'entities.yaml');
  writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return file;
}

// ---- the backends -----------------------------------------------------------------------------

const jsCache = join(work, 'js');

/** BENCH_MODE=built: every workspace TypeScript file but tests, transpiled into `jsCache`. */
function transpileWorkspace() {
  mkdirSync(jsCache, { recursive: true });
  let files = 0;
  const walk = dir => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('__')) {
          walk(path);
        }
      } else if (
        /\.(ts|cts)$/.test(entry.name) &&
        !/\.(test|d)\.ts$/.test(entry.name)
      ) {
        writeFileSync(
          cacheFile(jsCache, path),
          transpile(readFileSync(path, 'utf8'), path),
        );
        files++;
      }
    }
  };
  for (const group of ['packages', 'plugins', 'adapters']) {
    for (const pkg of readdirSync(join(root, group))) {
      const src = join(root, group, pkg, 'src');
      if (existsSync(src)) walk(src);
    }
  }
  return files;
}

async function startBackend({
  label,
  entry,
  clusters,
  entities,
  nodeArgs = [],
}) {
  const port = await freePort();
  const config = join(work, `app-config.${label}.json`);
  const memoryFile = join(work, `memory.${label}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port },
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      catalog: { locations: [{ type: 'file', target: entities }] },
      kubernetes: {
        serviceLocatorMethod: { type: 'multiTenant' },
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: clusters.map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.token,
              skipTLSVerify: true,
            })),
          },
        ],
      },
    }),
  );
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      '--trace-gc',
      ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
      '--expose-gc',
      '--require',
      join(root, 'bench/memoryProbe.cjs'),
      '--require',
      MODE === 'built'
        ? join(root, 'bench/transpiledRequire.cjs')
        : require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      entry,
      '--config',
      join(root, 'app-config.yaml'),
      '--config',
      config,
    ],
    {
      cwd: join(root, 'packages/backend'),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        MESHSTAGE_BENCH_JS_CACHE: jsCache,
        MESHSTAGE_BENCH_MEMORY_FILE: memoryFile,
      },
    },
  );
  children.push(child);
  let log = '';
  // V8 (Node 22) keeps the pages a collection frees in a pool it reuses, resident: RSS after a
  // collection holds the heap's high-water mark. --trace-gc prints the pool's size with each
  // collection, per isolate (worker threads have their own); the last one of the main isolate
  // (the largest heap) is reported with the memory readings.
  const isolates = new Map();
  const pool = {
    get mb() {
      let main;
      for (const i of isolates.values())
        if (!main || i.heap > main.heap) main = i;
      return main?.pooled;
    },
  };
  let partial = '';
  const readPool = d => {
    // Whole lines only: a chunk may end mid-line.
    const text = partial + d;
    const end = text.lastIndexOf('\n') + 1;
    partial = text.slice(end);
    for (const m of text
      .slice(0, end)
      .matchAll(
        /\[\d+:(0x[0-9a-f]+)\][^\n]*?-> ([\d.]+) \([\d.]+\) MB, pooled: (\d+) MB/g,
      )) {
      isolates.set(m[1], { heap: Number(m[2]), pooled: Number(m[3]) });
    }
  };
  child.stdout.on('data', d => {
    readPool(d);
    log = (log + d).slice(-20000);
  });
  child.stderr.on('data', d => (log = (log + d).slice(-20000)));
  if (process.env.BENCH_BACKEND_LOG) {
    // Diagnostics: everything the backend prints (with BENCH_NODE_ARGS=--trace-gc, say).
    const out = `${process.env.BENCH_BACKEND_LOG}.${label.replace(
      /\W+/g,
      '-',
    )}`;
    child.stdout.on('data', d => appendFileSync(out, d));
    child.stderr.on('data', d => appendFileSync(out, d));
  }
  // 127.0.0.1, not localhost: the load tools would try ::1 first.
  const base = `http://127.0.0.1:${port}`;
  try {
    await until(`${label} backend`, async () => {
      if (child.exitCode !== null) throw new Error('exited');
      const res = await fetch(`${base}/.backstage/health/v1/readiness`);
      return res.ok;
    });
  } catch (error) {
    console.error(log);
    throw error;
  }
  const { backstageIdentity } = await (
    await fetch(`${base}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    })
  ).json();
  const token = backstageIdentity.token;
  const last = appName(CLUSTERS - 1, APPS_PER_CLUSTER - 1);
  await until(`${label} catalog ingestion`, async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-name/component/default/${last}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return res.ok;
  });
  return { child, base, token, label, memoryFile, pool };
}

/** What Backstage's Kubernetes tab asks of the Kubernetes plugin for one entity; its status. */
async function openKubernetesTab(backend) {
  const name = appName(0, 0);
  const headers = {
    authorization: `Bearer ${backend.token}`,
    'content-type': 'application/json',
  };
  const entity = await (
    await fetch(
      `${backend.base}/api/catalog/entities/by-name/component/default/${name}`,
      { headers },
    )
  ).json();
  const res = await fetch(`${backend.base}/api/kubernetes/services/${name}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ entity }),
  });
  const body = await res.json();
  const objects = (body.items ?? []).reduce(
    (sum, cluster) =>
      sum +
      (cluster.resources ?? []).reduce((n, r) => n + r.resources.length, 0),
    0,
  );
  return `${res.status}, ${objects} objects`;
}

/**
 * A backend's memory after two full garbage collections (bench/memoryProbe.cjs): what it keeps,
 * without the garbage an RSS sample at a random moment also counts. In MB.
 */
async function settledMemory(backend) {
  const before = existsSync(backend.memoryFile)
    ? JSON.parse(readFileSync(backend.memoryFile, 'utf8')).at
    : 0;
  process.kill(backend.child.pid, 'SIGUSR2');
  let report;
  await until(
    `${backend.label} memory report`,
    async () => {
      report = JSON.parse(readFileSync(backend.memoryFile, 'utf8'));
      return report.at > before;
    },
    60_000,
  );
  return {
    rss: report.rss / 1048576,
    heapUsed: report.heapUsed / 1048576,
    heapTotal: report.heapTotal / 1048576,
    // The memory report is written a second after the collections: their trace lines are in.
    pooled: backend.pool.mb,
    external: report.external / 1048576,
  };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s*(\d+)/)[1]) / 1024;
}

/** Samples a process's RSS while `during` runs; the peak. */
async function peakRss(pid, during) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 250);
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMb(pid));
}

// ---- the load ---------------------------------------------------------------------------------

function urls(base, route) {
  const out = [];
  for (let c = 0; c < CLUSTERS; c++) {
    for (let i = 0; i < APPS_PER_CLUSTER; i++) {
      const name = appName(c, i);
      out.push(
        route === 'catalog'
          ? `${base}/api/catalog/entities/by-name/component/default/${name}`
          : `${base}/api/mesh/entity/component/default/${name}/${route}`,
      );
    }
  }
  return out;
}

function runMeshperf(list, token, seconds, warmup, rate) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'packages/loadgen/bin/meshperf'),
        ...list,
        '-c',
        String(CONNECTIONS),
        '-d',
        `${seconds}s`,
        ...(warmup ? ['--warmup', `${warmup}s`] : []),
        ...(rate ? ['--rate', String(rate)] : []),
        '--timeout',
        '2s',
        '-H',
        `authorization: Bearer ${token}`,
        '-o',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.on('exit', code => {
      if (code !== 0 && code !== 1) {
        reject(new Error(`meshperf exited ${code}: ${err.slice(-500)}`));
        return;
      }
      const r = JSON.parse(out);
      resolve({
        rps: r.requests.perSecond,
        p50: r.latencyMs.p50,
        p99: r.latencyMs.p99,
        errors: r.errors.total,
        errorKinds: Object.entries(r.errors)
          .filter(([k, v]) => k !== 'total' && v > 0)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
        non2xx: r.requests.total - r.requests.ok - r.errors.total,
        raw: r,
      });
    });
  });
}

async function runAutocannon(list, token, seconds) {
  const paths = list.map(u => new URL(u).pathname);
  let next = 0;
  const result = await autocannon({
    url: new URL(list[0]).origin,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 2,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        setupRequest: req => ({
          ...req,
          path: paths[next++ % paths.length],
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

const fmt = (n, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '-' : Number(n).toFixed(digits);

async function measure(backend, route) {
  const list = urls(backend.base, route);
  // Warm every entity once (first reads list each cluster's types and fill the views).
  await runAutocannon(list, backend.token, WARMUP);
  const meshperf = await runMeshperf(list, backend.token, DURATION, 0);
  const ac = await runAutocannon(list, backend.token, DURATION);
  const paced = [];
  for (const rate of RATES) {
    paced.push({
      rate,
      ...(await runMeshperf(list, backend.token, DURATION, 0, rate)),
    });
  }
  return { route, meshperf, autocannon: ac, paced };
}

function printRow(label, tool, r) {
  console.log(
    `${label.padEnd(34)} ${tool.padEnd(10)} ${fmt(r.rps).padStart(
      7,
    )} req/s  p50 ${fmt(r.p50, 1).padStart(7)} ms  p99 ${fmt(r.p99, 1).padStart(
      7,
    )} ms  errors ${fmt(r.errors)}  non-2xx ${fmt(r.non2xx)}`,
  );
}

// ---- main -------------------------------------------------------------------------------------

async function main() {
  console.log(
    `bench/api.mjs: ${CLUSTERS} clusters x ${APPS_PER_CLUSTER} apps, ${CONNECTIONS} connections, ${DURATION} s per tool and route; ${
      cpus().length
    } cores, load ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}, ${new Date().toISOString()}`,
  );
  const clusters = await Promise.all(
    Array.from({ length: CLUSTERS }, (_, c) => startCluster(c)),
  );
  const entities = writeEntities();
  if (MODE === 'built') {
    console.log(
      `BENCH_MODE=built: ${transpileWorkspace()} TypeScript files transpiled before the backends start`,
    );
  }

  // The same backend without MeshStage: packages/backend's entry with its @meshstage lines left out.
  const withoutDir = join(root, 'packages/backend/.bench');
  mkdirSync(withoutDir, { recursive: true });
  const withoutEntry = join(withoutDir, 'index-without-meshstage.ts');
  writeFileSync(
    withoutEntry,
    readFileSync(join(root, 'packages/backend/src/index.ts'), 'utf8')
      .split('\n')
      .filter(line => !line.includes('@meshstage/'))
      .join('\n'),
  );

  const results = [];
  const rss = {};
  if (process.env.BENCH_SKIP_BASELINE !== '1') {
    const backend = await startBackend({
      label: 'without MeshStage',
      entry: withoutEntry,
      clusters,
      entities,
    });
    await sleep(5000);
    rss.baselineIdle = rssMb(backend.child.pid);
    rss.baselineSettled = await settledMemory(backend);
    // Backstage's Kubernetes plugin loads @kubernetes/client-node (~70 MB of RSS, which MeshStage
    // uses too and shares) only when it first reads a cluster: one entity's Kubernetes tab, as in
    // a portal where people use it.
    rss.kubernetesTab = await openKubernetesTab(backend);
    rss.baselineWithKubernetes = await settledMemory(backend);
    rss.baselineLoad = await peakRss(backend.child.pid, async () => {
      results.push({
        backend: 'without MeshStage',
        ...(await measure(backend, 'catalog')),
      });
    });
    rss.baselineAfter = await settledMemory(backend);
    process.kill(-backend.child.pid, 'SIGKILL');
  }
  {
    const backend = await startBackend({
      label: 'with MeshStage',
      entry: join(root, 'packages/backend/src/index.ts'),
      clusters,
      entities,
      nodeArgs: CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : [],
    });
    // Idle as the baseline's idle is read: started, the catalog ingested, no request served.
    rss.meshIdle = rssMb(backend.child.pid);
    rss.meshSettled = await settledMemory(backend);
    // One validation scan per cluster, so findings have something to show.
    rss.scanPeak = await peakRss(backend.child.pid, async () => {
      for (const c of process.env.BENCH_SKIP_SCANS === '1' ? [] : clusters) {
        const res = await fetch(`${backend.base}/api/mesh/validation/scans`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${backend.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ cluster: c.name }),
        });
        if (!res.ok) throw new Error(`scan of ${c.name}: ${await res.text()}`);
      }
    });
    await sleep(5000);
    rss.meshAfterScans = await settledMemory(backend);
    if (process.env.BENCH_PROBE === '1') {
      // Diagnostics: a few sequential requests with their times and answers.
      for (const route of ROUTES) {
        for (const url of urls(backend.base, route).slice(0, 5)) {
          const started = Date.now();
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${backend.token}` },
          });
          const text = await res.text();
          console.log(
            `${res.status} ${Date.now() - started} ms ${url} ${text.slice(
              0,
              100,
            )}`,
          );
        }
        for (const burst of [20, 200, 200]) {
          const started = Date.now();
          const times = await Promise.all(
            urls(backend.base, route)
              .slice(0, burst)
              .map(async url => {
                const t = Date.now();
                const res = await fetch(url, {
                  headers: { authorization: `Bearer ${backend.token}` },
                });
                await res.text();
                return `${res.status}:${Date.now() - t}`;
              }),
          );
          console.log(
            `burst ${burst}: ${Date.now() - started} ms; ${times
              .slice(0, 8)
              .join(' ')} ... ${times.slice(-4).join(' ')}`,
          );
        }
      }
    }
    rss.meshLoad = await peakRss(backend.child.pid, async () => {
      for (const route of ROUTES) {
        results.push({
          backend: 'with MeshStage',
          ...(await measure(backend, route)),
        });
      }
    });
    rss.meshAfter = await settledMemory(backend);
    const views = await (
      await fetch(`${backend.base}/api/mesh/clusters`, {
        headers: { authorization: `Bearer ${backend.token}` },
      })
    ).json();
    rss.views = views.items.map(c => c.view).filter(Boolean);
    if (CPU_PROF) {
      // A clean exit writes the profile.
      backend.child.kill('SIGINT');
      await new Promise(resolve => backend.child.once('exit', resolve));
    } else {
      process.kill(-backend.child.pid, 'SIGKILL');
    }
  }

  console.log('');
  for (const r of results) {
    const label = `${
      r.route === 'catalog' ? 'catalog by-name' : `mesh ${r.route}`
    } (${r.backend})`;
    printRow(label, 'meshperf', r.meshperf);
    printRow(label, 'autocannon', r.autocannon);
    for (const p of r.paced) printRow(label, `${p.rate}/s`, p);
  }
  console.log('');
  if (rss.baselineIdle !== undefined)
    console.log(
      `backend RSS without MeshStage: idle ${fmt(
        rss.baselineIdle,
      )} MB, peak under the catalog route's load ${fmt(rss.baselineLoad)} MB`,
    );
  console.log(
    `backend RSS with MeshStage:    idle ${fmt(
      rss.meshIdle,
    )} MB, peak under load ${fmt(rss.meshLoad)} MB`,
  );
  console.log(
    `difference: idle ${fmt(
      rss.meshIdle - rss.baselineIdle,
    )} MB, under load ${fmt(rss.meshLoad - rss.baselineLoad)} MB`,
  );
  const settledLine = (label, m) =>
    console.log(
      `${label} RSS ${fmt(m.rss)} MB, heap in use ${fmt(
        m.heapUsed,
      )} MB (V8 heap reserved ${fmt(m.heapTotal)} MB, V8 page pool ${fmt(
        m.pooled,
      )} MB, external ${fmt(m.external)} MB)`,
    );
  console.log('after two full garbage collections:');
  if (rss.baselineSettled) {
    settledLine('  without MeshStage, idle:      ', rss.baselineSettled);
    settledLine(
      `  without MeshStage, after one Kubernetes tab (${rss.kubernetesTab}):\n                                `,
      rss.baselineWithKubernetes,
    );
    settledLine('  without MeshStage, after load:', rss.baselineAfter);
  }
  settledLine('  with MeshStage, idle:         ', rss.meshSettled);
  settledLine(
    `  with MeshStage, after ${CLUSTERS} scans (peak RSS sampled during them ${fmt(
      rss.scanPeak,
    )} MB):\n                                `,
    rss.meshAfterScans,
  );
  settledLine('  with MeshStage, after load:   ', rss.meshAfter);
  if (rss.baselineSettled) {
    const diff = (label, mesh, base) =>
      console.log(
        `  difference ${label} RSS ${fmt(mesh.rss - base.rss)} MB, heap ${fmt(
          mesh.heapUsed - base.heapUsed,
        )} MB, RSS less V8's page pool ${fmt(
          mesh.rss - (mesh.pooled ?? 0) - (base.rss - (base.pooled ?? 0)),
        )} MB`,
      );
    diff(
      'idle, against idle:                   ',
      rss.meshSettled,
      rss.baselineSettled,
    );
    diff(
      'idle, against one Kubernetes tab:     ',
      rss.meshSettled,
      rss.baselineWithKubernetes,
    );
    diff(
      'after the scans, against one K8s tab: ',
      rss.meshAfterScans,
      rss.baselineWithKubernetes,
    );
    diff(
      'after load, against after load:       ',
      rss.meshAfter,
      rss.baselineAfter,
    );
  }
  const objects = rss.views.reduce((s, v) => s + v.objects, 0);
  const bytes = rss.views.reduce((s, v) => s + v.bytes, 0);
  console.log(
    `cluster views: ${objects} objects, ${fmt(
      bytes / 1048576,
      1,
    )} MB of JSON across ${rss.views.length} clusters`,
  );
  // Types a view does not hold in sync (absent CRDs are listed again now and then).
  const states = new Map();
  for (const r of rss.views.flatMap(v => v.resources)) {
    const key = `${r.resource} ${r.state}${
      r.relists ? `, ${r.relists} relists` : ''
    }`;
    if (r.state !== 'synced' || r.relists > 1) {
      states.set(key, (states.get(key) ?? 0) + 1);
    }
  }
  if (states.size > 0) {
    console.log(
      `  not synced or relisted: ${[...states]
        .map(([k, n]) => `${k} (${n} clusters)`)
        .join('; ')}`,
    );
  }
  console.log(
    `load after: ${loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
}

main()
  .then(() => {
    stopAll();
    rmSync(work, { recursive: true, force: true });
    process.exit(0);
  })
  .catch(error => {
    console.error(error);
    stopAll();
    process.exit(1);
  });
