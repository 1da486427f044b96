#!/usr/bin/env node
// `node bench/topology-render.mjs`: how fast the Topology tab's graph lays out and renders.
//
// Generates TopologyGraph JSON (GET /topology's shape) for clusters of 100, 1,000 and 5,000
// workloads: 40 workloads per namespace, 10 Services per namespace each selecting 4 versions
// (weighted routes 40/30/20/10, 'routes' edges), and every workload routing to 2 Services (70% in
// its own namespace) with Prometheus traffic on half of them: 3 edges per workload (3,000 for
// 1,000 workloads, 15,000 for 5,000), plus W/4 Service nodes.
//
// Then prints:
//   1. ELK layout time in Node (elkjs' bundled build, this process) of the view the component
//      shows first (namespaces collapsed beyond 150 nodes) and of the whole graph expanded,
//      through the component's own view model and ELK graph (bundled from plugins/mesh by esbuild);
//   2. in Debian Chromium through playwright-core, the time from the data's arrival (response
//      text in hand) to the first complete render of TopologyGraphView (JSON.parse, view, ELK in
//      its web worker, React Flow's nodes painted), measured in the page with performance.now():
//      a cold render (fresh page: worker start, ELK load) and warm ones (same page again), for
//      the default view and, where it finishes within BENCH_EXPANDED_TIMEOUT_S, the whole graph.
//
// Not a test: figures vary with the machine's load. Environment: BENCH_SIZES (default
// 100,1000,5000), BENCH_ROUNDS (warm renders, default 3), BENCH_EXPANDED_MAX (largest size laid
// out fully expanded, default 1000), BENCH_EXPANDED_TIMEOUT_S (default 180), E2E_CHROMIUM.
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// --- 1. ELK in Node ---------------------------------------------------------------------------

const graphs = new Map(sizes.map(n => [n, generateGraph(n)]));
console.log(
  `topology render benchmark, Node ${
    process.version
  }, ${new Date().toISOString()}`,
);
for (const [n, g] of graphs) {
  console.log(
    `  ${n} workloads: ${g.nodes.length} nodes, ${g.edges.length} edges, ${
      new Set(g.nodes.map(x => x.namespace)).size
    } namespaces, JSON ${(JSON.stringify(g).length / 1e6).toFixed(1)} MB`,
  );
}

console.log(
  '\n1. ELK layout in Node (elk.bundled.js, this thread; median of runs)',
);
const elk = new ELK();
const viewOf = (g, expanded) => {
  const groups = layoutLib.groupNodes(g);
  const collapsed = expanded
    ? new Set()
    : layoutLib.defaultCollapsed(g, groups, 150);
  return layoutLib.buildView(g, groups, collapsed);
};
async function timeLayout(view, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const laid = await elk.layout(layoutLib.toElkGraph(view));
    layoutLib.fromElkGraph(view, laid);
    times.push(performance.now() - t0);
  }
  return times;
}
await timeLayout(viewOf(graphs.get(sizes[0]), true), 2); // warm the JIT
for (const [n, g] of graphs) {
  const first = viewOf(g, false);
  const t = await timeLayout(first, 3);
  console.log(
    `  ${String(n).padStart(5)} workloads, default view (${
      first.nodes.length
    } shown nodes, ${first.edges.length} edges): ${fmt(median(t))}`,
  );
  if (n <= expandedMax) {
    const all = viewOf(g, true);
    const te = await timeLayout(all, n >= 1000 ? 1 : 3);
    console.log(
      `  ${String(n).padStart(5)} workloads, all expanded (${
        all.nodes.length
      } nodes, ${all.edges.length} edges): ${fmt(median(te))}`,
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

const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--disable-dev-shm-usage'],
});
console.log(
  `\n2. Data to first complete render in Chromium ${browser.version()} (TopologyGraphView, ELK in a web worker, viewport 1600x1000)`,
);
async function freshPage() {
  const page = await browser.newPage({
    viewport: { width: 1600, height: 1000 },
  });
  page.on('pageerror', e => console.log(`    page error: ${e.message}`));
  await page.goto(base);
  await page.waitForFunction(() => typeof window.renderTopology === 'function');
  return page;
}
const render = (page, options, timeoutMs) =>
  Promise.race([
    page.evaluate(o => window.renderTopology(o), options),
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`over ${timeoutMs / 1000} s`)),
        timeoutMs,
      ),
    ),
  ]);
const describe = r =>
  `${fmt(r.totalMs)} (layout ${fmt(r.layoutMs)}, parse ${fmt(r.parsedMs)}; ${
    r.shownNodes
  } nodes, ${r.domNodes} in the DOM)`;

const results = [];
try {
  for (const n of sizes) {
    for (const expanded of [false, true]) {
      if (expanded && n > expandedMax) {
        console.log(
          `  ${String(n).padStart(
            5,
          )} workloads, all expanded: skipped (BENCH_EXPANDED_MAX=${expandedMax})`,
        );
        continue;
      }
      const options = {
        url: `/graph-${n}.json`,
        collapseThreshold: expanded ? Infinity : 150,
      };
      const label = `${String(n).padStart(5)} workloads, ${
        expanded ? 'all expanded' : 'default view'
      }`;
      const page = await freshPage();
      try {
        const cold = await render(page, options, expandedTimeoutMs);
        const warm = [];
        for (let i = 0; i < (expanded && n >= 1000 ? 1 : rounds); i++) {
          warm.push(await render(page, options, expandedTimeoutMs));
        }
        const w = warm.sort((a, b) => a.totalMs - b.totalMs)[
          Math.floor((warm.length - 1) / 2)
        ];
        console.log(
          `  ${label}: cold ${describe(cold)}; warm median ${describe(w)}`,
        );
        results.push({ n, expanded, cold, warm: w });
      } catch (e) {
        console.log(`  ${label}: ${e.message}`);
      } finally {
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
  rmSync(work, { recursive: true, force: true });
}
const goal = results.find(r => r.n === 1000 && !r.expanded);
if (goal) {
  console.log(
    `\ngoal (issue 14): 1,000 workloads rendered under 1 s after the data arrives: default view cold ${fmt(
      goal.cold.totalMs,
    )}, warm ${fmt(goal.warm.totalMs)}`,
  );
}
