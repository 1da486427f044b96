#!/usr/bin/env node
// `node bench/topology-render.mjs`: how fast the Topology tab's graph lays out and renders.
//
// Generates TopologyGraph JSON (GET /topology's shape) for clusters of 100, 1,000 and 5,000
// workloads: 40 workloads per namespace, 10 Services per namespace each selecting 4 versions
// (weighted routes 40/30/20/10, 'routes' edges), and every workload routing to 2 Services (70% in
// its own namespace) with Prometheus traffic on half of them: 3 edges per workload (3,000 for
// 1,000 workloads, 15,000 for 5,000), plus W/4 Service nodes.
//
// Then prints, with the load average (`uptime`) before and after (the figures are worth little
// on a busy machine, so CPU time is printed beside wall time wherever it can be read):
//   1. ELK layout time in Node (elkjs' bundled build, this process) of the view the component
//      shows first (namespaces collapsed beyond 150 nodes; with the entity's namespace open
//      for an entity in the biggest cluster) and of the whole graph expanded, through the
//      component's own view model and ELK graph (bundled from plugins/mesh by esbuild): wall
//      (performance.now()) and CPU (process.cpuUsage(), this process) per layout, median of runs
//      after warming ELK's JIT;
//   2. in Debian Chromium through playwright-core, "data arrives -> first complete render": from
//      the moment the page has the API response's text in hand (t0, performance.now() in the
//      page) until TopologyGraphView has the layout on screen and painted (JSON.parse, view
//      model, ELK in the layout web worker, React Flow's nodes rendered, fitted, two animation
//      frames). A stand-in for the Topology tab (bench/topology-render/harness.tsx) mounts first,
//      as EntityTopologyContent does, and warms the layout engine up through the same hook
//      (worker started, ELK loaded, a tiny layout) while the data is on its way. Per size and view:
//        - cold, data after warm-up: a fresh page, the tab mounted, the data handed over once the
//          warm-up has finished (an API answering slower than the warm-up, which is printed);
//        - cold, data at once: a fresh page, the data handed over as soon as the tab has mounted
//          (the warm-up still running: its remainder is part of the figure);
//        - cold, no warm-up: as before this warm-up existed (worker start and ELK load inside the
//          figure);
//        - warm: the same page again (tab unmounted and mounted, the same worker), median.
//      Wall time is measured in the page. CPU time is read from /proc for the threads of this
//      run's Chromium processes over the same interval, bracketed from Node (so a few ms of the
//      DevTools protocol are in it): the page's main thread, the layout worker thread
//      ("DedicatedWorker"), and all of Chromium's other threads together (compositor, GPU
//      process, browser process). The clock tick is 10 ms.
//
// Not a test: figures vary with the machine's load. Environment: BENCH_SIZES (default
// 100,1000,5000), BENCH_ROUNDS (warm renders, default 3), BENCH_EXPANDED_MAX (largest size laid
// out fully expanded, default 1000), BENCH_EXPANDED_TIMEOUT_S (default 180), BENCH_SCREENSHOTS (a
// directory: a screenshot of each view's warm render), E2E_CHROMIUM.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateGraph } from './topology-render/generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'plugins/mesh/package.json'));
const esbuild = require('esbuild');
const ELK = require('elkjs/lib/elk.bundled.js');

const sizes = (process.env.BENCH_SIZES ?? '100,1000,5000')
  .split(',')
  .map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const expandedMax = Number(process.env.BENCH_EXPANDED_MAX ?? 1000);
const expandedTimeoutMs =
  Number(process.env.BENCH_EXPANDED_TIMEOUT_S ?? 180) * 1000;
const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const screenshots = process.env.BENCH_SCREENSHOTS;

// --- build the component's code ----------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'meshstage-topology-bench-'));
const here = join(root, 'bench/topology-render');
const common = {
  bundle: true,
  logLevel: 'error',
  nodePaths: [join(root, 'node_modules')],
  define: { 'process.env.NODE_ENV': '"production"' },
  jsx: 'automatic',
};
await esbuild.build({
  ...common,
  entryPoints: [join(here, 'layout-entry.ts')],
  outfile: join(work, 'layout.mjs'),
  platform: 'node',
  format: 'esm',
});
await esbuild.build({
  ...common,
  entryPoints: [join(here, 'harness.tsx')],
  outdir: join(work, 'www'),
  entryNames: 'harness',
  platform: 'browser',
  format: 'esm',
  minify: true,
  loader: { '.woff': 'empty', '.woff2': 'empty', '.svg': 'dataurl' },
});
await esbuild.build({
  ...common,
  entryPoints: [
    join(
      root,
      'plugins/mesh/src/components/TopologyGraph/layout/elk.worker.ts',
    ),
  ],
  outfile: join(work, 'www/worker.js'),
  platform: 'browser',
  format: 'iife',
  minify: true,
});
writeFileSync(
  join(work, 'www/index.html'),
  `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="harness.css"></head>
<body style="margin:0"><div id="root" style="width:1600px"></div><script type="module" src="harness.js"></script></body></html>`,
);
const layoutLib = await import(pathToFileURL(join(work, 'layout.mjs')).href);

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const fmt = ms =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

// --- 1. ELK in Node ---------------------------------------------------------------------------

const graphs = new Map(sizes.map(n => [n, generateGraph(n)]));
const biggest = Math.max(...sizes);
/** A Service in the first namespace: the entity whose tab is opened in the "entity" views. */
const entityNode = 'bench/service/ns-0/svc-0';
console.log(
  `topology render benchmark, Node ${
    process.version
  }, ${new Date().toISOString()}\nload before: ${uptime()}`,
);
for (const [n, g] of graphs) {
  console.log(
    `  ${n} workloads: ${g.nodes.length} nodes, ${g.edges.length} edges, ${
      new Set(g.nodes.map(x => x.namespace)).size
    } namespaces, JSON ${(JSON.stringify(g).length / 1e6).toFixed(1)} MB`,
  );
}

console.log(
  '\n1. Layout in Node (elk.bundled.js, this thread, or packOverview for views whose namespaces are all collapsed; median of runs after warming the JIT; wall = performance.now(), CPU = process.cpuUsage() of this process)',
);
const elk = new ELK();
const withFocus = g => ({
  ...g,
  nodes: g.nodes.map(x => (x.id === entityNode ? { ...x, focus: true } : x)),
});
const viewOf = (g, expanded) => {
  const groups = layoutLib.groupNodes(g);
  const collapsed = expanded
    ? new Set()
    : layoutLib.defaultCollapsed(g, groups, 150);
  return layoutLib.buildView(g, groups, collapsed);
};
async function timeLayout(view, runs) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    // As the component does: collapsed-only overviews are packed without ELK.
    const graph = layoutLib.toElkGraph(view);
    const laid = layoutLib.packOverview(graph) ?? (await elk.layout(graph));
    layoutLib.fromElkGraph(view, laid);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return `wall ${fmt(median(wall))}, CPU ${fmt(median(cpu))}`;
}
const smallest = graphs.get(Math.min(...sizes));
for (let i = 0; i < 5; i++) {
  // warm the JIT on both tiers
  await timeLayout(viewOf(smallest, true), 1);
  await timeLayout(viewOf(smallest, false), 1);
  await timeLayout(viewOf(withFocus(graphs.get(biggest)), false), 1);
}
const shape = v =>
  `${v.nodes.length} shown nodes, ${
    v.nodes.filter(x => x.type === 'group').length
  } open namespaces, ${v.edges.length} edges`;
for (const [n, g] of graphs) {
  const first = viewOf(g, false);
  console.log(
    `  ${String(n).padStart(5)} workloads, default view (${shape(
      first,
    )}): ${await timeLayout(first, 3)}`,
  );
  if (n >= 1000) {
    const entity = viewOf(withFocus(g), false);
    console.log(
      `  ${String(n).padStart(5)} workloads, entity's namespace open (${shape(
        entity,
      )}): ${await timeLayout(entity, 3)}`,
    );
  }
  if (n <= expandedMax) {
    const all = viewOf(g, true);
    console.log(
      `  ${String(n).padStart(5)} workloads, all expanded (${shape(
        all,
      )}): ${await timeLayout(all, n >= 1000 ? 1 : 3)}`,
    );
  } else {
    console.log(
      `  ${String(n).padStart(
        5,
      )} workloads, all expanded: skipped (BENCH_EXPANDED_MAX=${expandedMax})`,
    );
  }
}

// --- 2. Chromium --------------------------------------------------------------------------------

const files = new Map();
for (const [n, g] of graphs) files.set(`/graph-${n}.json`, JSON.stringify(g));
const server = createServer((req, res) => {
  const path = req.url === '/' ? '/index.html' : req.url.split('?')[0];
  const body =
    files.get(path) ??
    (() => {
      try {
        return readFileSync(join(work, 'www', path));
      } catch {
        return undefined;
      }
    })();
  if (body === undefined) {
    res.statusCode = 404;
    res.end();
    return;
  }
  const type = path.endsWith('.js')
    ? 'text/javascript'
    : path.endsWith('.css')
    ? 'text/css'
    : path.endsWith('.json')
    ? 'application/json'
    : 'text/html';
  res.setHeader('content-type', type);
  res.end(body);
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// CPU time of this run's Chromium: every thread of every process descending from this one.
const TICK_MS = 10; // USER_HZ 100
function chromiumCpu(threads) {
  const parent = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      // gone
    }
  }
  const mine = pid => {
    for (let p = pid, i = 0; p && p !== '0' && i < 20; p = parent.get(p), i++) {
      if (p === String(process.pid)) return pid !== String(process.pid);
    }
    return false;
  };
  const out = { main: 0, worker: 0, renderer: 0, gpu: 0, other: 0 };
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue;
    let renderer = false;
    let gpu = false;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      renderer = cmdline.includes('--type=renderer');
      gpu = cmdline.includes('--type=gpu-process');
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ms = (Number(f[11]) + Number(f[12])) * TICK_MS;
        if (threads) threads.set(`${pid}/${tid} ${comm}`, ms);
        if (renderer && tid === pid) out.main += ms;
        else if (renderer && comm.startsWith('DedicatedWorker'))
          out.worker += ms;
        else if (renderer) out.renderer += ms;
        else if (gpu) out.gpu += ms;
        else out.other += ms;
      }
    } catch {
      // gone
    }
  }
  return out;
}
async function withCpu(fn) {
  const t0 = process.env.BENCH_CPU_THREADS ? new Map() : undefined;
  const before = chromiumCpu(t0);
  const result = await fn();
  const t1 = t0 && new Map();
  const after = chromiumCpu(t1);
  if (t1) {
    // BENCH_CPU_THREADS=1: the busiest threads of the interval
    const top = [...t1]
      .map(([k, v]) => [k, v - (t0.get(k) ?? 0)])
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8);
    console.log(
      `      threads: ${top.map(([k, v]) => `${k} ${v} ms`).join(', ')}`,
    );
  }
  return {
    ...result,
    cpu: Object.fromEntries(
      Object.keys(after).map(k => [k, after[k] - before[k]]),
    ),
  };
}

const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--disable-dev-shm-usage'],
});
console.log(
  `\n2. Data arrives -> first complete render in Chromium ${browser.version()} (TopologyGraphView in a stand-in of the tab, ELK in a web worker, viewport 1600x1000)
   wall: performance.now() in the page from the response text in hand to the layout painted; CPU: Chromium's threads over the same interval from /proc (main = the page's main thread, worker = the layout worker, other = all other Chromium threads)
   load now: ${uptime()}`,
);
async function freshPage() {
  const page = await browser.newPage({
    viewport: { width: 1600, height: 1000 },
  });
  page.on('pageerror', e => console.log(`    page error: ${e.message}`));
  await page.goto(base);
  await page.waitForFunction(() => typeof window.openTab === 'function');
  return page;
}
const timed = (promise, timeoutMs) =>
  Promise.race([
    promise,
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`over ${timeoutMs / 1000} s`)),
        timeoutMs,
      ),
    ),
  ]);
/** Mount the tab (warming up or not), then hand the data over: after the warm-up, or at once. */
const run = (page, options, mode, timeoutMs) =>
  timed(
    (async () => {
      if (mode === 'after-warm-up') {
        const { warmUpMs } = await page.evaluate(() =>
          window.openTab({ warmUp: true }),
        );
        const r = await withCpu(() =>
          page.evaluate(o => window.deliver(o), options),
        );
        return { ...r, warmUpMs };
      }
      // The tab mounts (warming up, or not, as before the warm-up existed) and the data is
      // handed over at once: whatever of the warm-up is still running is inside the figure.
      return withCpu(() =>
        page.evaluate(
          async ({ o, warmUp }) => {
            await window.openTab({ warmUp, wait: false });
            return window.deliver(o);
          },
          { o: options, warmUp: mode === 'at-once' },
        ),
      );
    })(),
    timeoutMs,
  );
const cpuText = c =>
  `CPU main ${fmt(c.main)} + worker ${fmt(c.worker)} + other ${fmt(
    c.renderer + c.gpu + c.other,
  )} (renderer ${fmt(c.renderer)}, GPU process ${fmt(c.gpu)}, rest ${fmt(
    c.other,
  )})`;
const describe = r =>
  `wall ${fmt(r.totalMs)} (layout ${fmt(r.layoutMs)}, parse ${fmt(
    r.parsedMs,
  )}), ${cpuText(r.cpu)}`;

const results = [];
try {
  for (const n of sizes) {
    const views = [['default view', { collapseThreshold: 150 }]];
    if (n >= 1000)
      views.push([
        "entity's namespace open",
        { collapseThreshold: 150, focusNode: entityNode },
      ]);
    if (n <= expandedMax)
      views.push(['all expanded', { collapseThreshold: Infinity }]);
    else
      console.log(
        `  ${String(n).padStart(
          5,
        )} workloads, all expanded: skipped (BENCH_EXPANDED_MAX=${expandedMax})`,
      );
    for (const [name, view] of views) {
      const options = { url: `/graph-${n}.json`, ...view };
      const big = view.collapseThreshold === Infinity && n >= 1000;
      const label = `${String(n).padStart(5)} workloads, ${name}`;
      const row = { n, name };
      try {
        for (const mode of ['after-warm-up', 'at-once', 'no-warm-up']) {
          const page = await freshPage();
          try {
            row[mode] = await run(page, options, mode, expandedTimeoutMs);
            if (mode === 'after-warm-up') {
              const warm = [];
              for (let i = 0; i < (big ? 1 : rounds); i++) {
                warm.push(
                  await run(page, options, 'after-warm-up', expandedTimeoutMs),
                );
              }
              row.warm = warm.sort((a, b) => a.totalMs - b.totalMs)[
                Math.floor((warm.length - 1) / 2)
              ];
              if (screenshots) {
                mkdirSync(screenshots, { recursive: true });
                await page.screenshot({
                  path: join(
                    screenshots,
                    `topology-${n}-${name.replace(/\W+/g, '-')}.png`,
                  ),
                });
              }
            }
          } finally {
            await page.close();
          }
          if (big) break; // the whole 1,000+ graph: one cold run is enough
        }
        const a = row['after-warm-up'];
        console.log(
          `  ${label} (${a.shownNodes} shown nodes, ${a.domNodes} in the DOM, ${a.domEdges} edges in the DOM):`,
        );
        console.log(
          `      cold, data after warm-up (warm-up took ${fmt(
            a.warmUpMs,
          )} from mount): ${describe(a)}`,
        );
        if (row['at-once'])
          console.log(
            `      cold, data at once:       ${describe(row['at-once'])}`,
          );
        if (row['no-warm-up'])
          console.log(
            `      cold, no warm-up:         ${describe(row['no-warm-up'])}`,
          );
        console.log(
          `      warm (median of ${big ? 1 : rounds}):       ${describe(
            row.warm,
          )}`,
        );
        results.push(row);
      } catch (e) {
        console.log(`  ${label}: ${e.message}`);
      }
    }
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections?.();
  rmSync(work, { recursive: true, force: true });
  await esbuild.stop?.();
}
console.log(`\nload after: ${uptime()}`);
const goal = results.find(r => r.n === 1000 && r.name === 'default view');
if (goal) {
  const w = x => (x ? fmt(x.totalMs) : '-');
  console.log(
    `goal (issue 14): 1,000 workloads rendered under 1 s after the data arrives (wall; the load above inflates it): default view cold after warm-up ${w(
      goal['after-warm-up'],
    )}, cold data at once ${w(goal['at-once'])}, cold without warm-up ${w(
      goal['no-warm-up'],
    )}, warm ${w(goal.warm)}`,
  );
}
// Something (playwright-core's or esbuild's handles) keeps Node alive after the browser closed.
process.exit(0);
