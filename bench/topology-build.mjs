#!/usr/bin/env node
// The topology graph builder (plugins/mesh-backend/src/topology/buildTopology.ts) on generated
// clusters: N workloads (one Deployment per app, 2 pods each, half of them with an istio-proxy
// sidecar) in N/50 namespaces, N Services, N VirtualServices each routing to another app's Service
// (two routes naming it in two host forms; Istio's real rules turn them into edges), and a catalog
// Component per app (ownership by kubernetes-id) with one dependsOn. Sizes 100, 1,000 and 5,000
// workloads: 3 edges per workload (a selector edge, a route, a declared dependency).
//
// Prints, per size: the snapshot (objects, JSON size), the graph (nodes, edges), and the median
// (and min, max) over BENCH_RUNS builds (default 9, after 2 warm-ups) of the whole-cluster graph
// and of one entity's graph at depth 2, in wall-clock milliseconds and in CPU milliseconds of this
// process (CPU time is less disturbed by other processes on a busy machine). Not a test: nothing
// is asserted; the figures go into the report and docs/performance.md.
//
//   node bench/topology-build.mjs            (BENCH_RUNS=15 BENCH_SIZES=1000,5000 to change)
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'plugins/mesh-backend/package.json'));
// The TypeScript sources run through the Backstage CLI's Node transform, as the CLIs' fallback does.
require('@backstage/cli-node/config/nodeTransform.cjs');
const { buildTopology } = require('./src/topology/buildTopology.ts');
const { topologyEntities } = require('./src/topology/entities.ts');
const { IstioAdapter } = require('@meshstage/plugin-mesh-backend-module-istio');

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000')
  .split(',')
  .map(Number);
const NAMESPACES_PER_1000 = 20;

function generate(n) {
  const namespaces = Math.max(1, Math.round((n * NAMESPACES_PER_1000) / 1000));
  const nsOf = i => `team-${i % namespaces}`;
  const objects = {
    namespaces: [],
    pods: [],
    workloads: [],
    services: [],
    routing: [],
  };
  for (let t = 0; t < namespaces; t++) {
    objects.namespaces.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: `team-${t}` },
    });
  }
  const entities = [];
  for (let i = 0; i < n; i++) {
    const ns = nsOf(i);
    const name = `app-${i}`;
    const labels = {
      app: name,
      version: 'v1',
      'backstage.io/kubernetes-id': name,
    };
    objects.workloads.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${name}-v1`, namespace: ns, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: name, version: 'v1' } },
        template: { metadata: { labels }, spec: { containers: [] } },
      },
    });
    for (const p of [0, 1]) {
      objects.pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-v1-${p}`, namespace: ns, labels },
        spec: {
          containers: [
            { name, image: `example/${name}:1` },
            ...(i % 2
              ? [
                  {
                    name: 'istio-proxy',
                    image: 'docker.io/istio/proxyv2:1.30.3',
                  },
                ]
              : []),
          ],
        },
        status: {
          phase: 'Running',
          conditions: [
            { type: 'Ready', status: p || i % 10 ? 'True' : 'False' },
          ],
        },
      });
    }
    objects.services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name,
        namespace: ns,
        labels: { app: name, 'backstage.io/kubernetes-id': name },
      },
      spec: { selector: { app: name } },
    });
    const to = (i + 1) % n;
    objects.routing.push({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name, namespace: ns },
      spec: {
        hosts: [name],
        http: [
          {
            match: [{ uri: { prefix: '/v2' } }],
            route: [
              {
                destination: {
                  host: `app-${to}.${nsOf(to)}.svc.cluster.local`,
                },
              },
            ],
          },
          // The same Service in another form: one edge, two rules.
          { route: [{ destination: { host: `app-${to}.${nsOf(to)}` } }] },
        ],
      },
    });
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/kubernetes-id': name,
          'backstage.io/kubernetes-namespace': ns,
        },
      },
      spec: { dependsOn: [`component:app-${(i + 7) % n}`] },
    });
  }
  return {
    snapshot: { cluster: 'bench', ...objects },
    entities: topologyEntities(entities),
  };
}

function measure(run) {
  const wall = [];
  const cpu = [];
  let result;
  for (let r = 0; r < RUNS + 2; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = run();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (r >= 2) {
      wall.push(t1 - t0);
      cpu.push((c1.user + c1.system) / 1000);
    }
  }
  const stats = xs => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      median: s[Math.floor(s.length / 2)],
      min: s[0],
      max: s[s.length - 1],
    };
  };
  return { wall: stats(wall), cpu: stats(cpu), result };
}

const fmt = s =>
  `${s.median.toFixed(1)} ms (min ${s.min.toFixed(1)}, max ${s.max.toFixed(
    1,
  )})`;

const adapters = [new IstioAdapter()];
console.log(
  `topology build: node ${process.version}, ${cpus().length} CPUs (${
    cpus()[0]?.model ?? '?'
  }), load average ${loadavg()
    .map(l => l.toFixed(2))
    .join(' ')}; ${RUNS} runs per figure after 2 warm-ups`,
);
for (const n of SIZES) {
  const { snapshot, entities } = generate(n);
  const objectCount =
    snapshot.namespaces.length +
    snapshot.pods.length +
    snapshot.workloads.length +
    snapshot.services.length +
    snapshot.routing.length;
  const bytes = Buffer.byteLength(JSON.stringify(snapshot));
  const cluster = measure(() =>
    buildTopology({
      snapshots: [snapshot],
      adapters,
      entities,
      scope: { type: 'cluster', cluster: 'bench' },
      limit: Number.MAX_SAFE_INTEGER,
    }),
  );
  const entity = measure(() =>
    buildTopology({
      snapshots: [snapshot],
      adapters,
      entities,
      scope: { type: 'entity', entityRef: entities[0].entityRef, depth: 2 },
      limit: 2000,
    }),
  );
  const g = cluster.result;
  const kinds = {};
  for (const e of g.edges) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
  console.log(
    `\n${n} workloads: snapshot ${objectCount} objects (${(
      bytes /
      1024 /
      1024
    ).toFixed(1)} MiB JSON); graph ${g.nodes.length} nodes, ${
      g.edges.length
    } edges (${Object.entries(kinds)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')})`,
  );
  console.log(
    `  whole cluster  wall ${fmt(cluster.wall)}  cpu ${fmt(cluster.cpu)}`,
  );
  console.log(
    `  entity depth 2 wall ${fmt(entity.wall)}  cpu ${fmt(entity.cpu)}  (${
      entity.result.nodes.length
    } nodes, ${entity.result.edges.length} edges)`,
  );
}
