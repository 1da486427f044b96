#!/usr/bin/env node
// `yarn bench:validate`: how much the validator's analysis costs beside merely parsing the YAML,
// and how both scale from 10,000 to 100,000 resources.
//
// Generates a bookinfo-like configuration across 100 namespaces (per namespace: a Namespace and a
// mesh-wide ServiceAccount; per app: Service, Deployment, ServiceAccount, VirtualService,
// DestinationRule, PeerAuthentication, AuthorizationPolicy; every 50th VirtualService names a
// missing subset so findings are produced and located), one file per namespace, in a temp dir.
// Then, in this one process and through the engine's public API (`@meshstage/validation`, loaded
// from its TypeScript sources as `packages/cli/bin/meshstage` does):
//
//   parse          parseManifests over every file
//   parse+analyze  parseManifests + mergeManifests + runAnalysis with every analyzer (generic,
//                  Istio, Linkerd), i.e. what `meshstage validate <dir>` does after reading files
//
// Each is timed BENCH_ROUNDS times (default 3; the 100k size BENCH_ROUNDS_LARGE, default 1)
// after one warmup run at 10k; medians are printed, with analysis/parse ratios, the 10k → 100k
// scaling factors and the slowest analyzers (timed separately) with their own scaling, so a
// quadratic rule stands out. Run with `node --expose-gc` (the root script does) for steadier
// figures. Environment: BENCH_SIZES (default 10000,100000).
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'packages/cli/package.json'));
require('@backstage/cli-node/config/nodeTransform.cjs');
const {
  parseManifests,
  mergeManifests,
  runAnalysis,
  selectAnalyzers,
  validateSchema,
} = require('@meshstage/validation');
const { createSnapshot } = require('@meshstage/plugin-mesh-node');
const { IstioAdapter } = require('@meshstage/plugin-mesh-backend-module-istio');
const {
  LinkerdAdapter,
} = require('@meshstage/plugin-mesh-backend-module-linkerd');

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
  .split(',')
  .map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUNDS_LARGE = Number(process.env.BENCH_ROUNDS_LARGE ?? 1);
const NAMESPACES = 100;

const log = line => process.stdout.write(`${line}\n`);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = n => `${Math.round(n).toLocaleString('en-US')} ms`;
const x = n => `${n.toFixed(2)}x`;

/** One namespace's manifests: 2 + 7 per app resources. */
function namespaceYaml(n, apps) {
  const ns = `ns-${n}`;
  const next = `ns-${(n + 1) % NAMESPACES}`;
  const docs = [
    `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    istio-injection: enabled`,
    `apiVersion: v1
kind: ServiceAccount
metadata:
  name: shared
  namespace: ${ns}`,
  ];
  for (let a = 0; a < apps; a++) {
    const app = `app-${a}`;
    const missingSubset = (n * apps + a) % 50 === 0;
    docs.push(
      `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    app: ${app}
  ports:
    - name: http-web
      port: 8080
      targetPort: 8080
    - name: grpc
      port: 9090`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
        version: v1
      annotations:
        sidecar.istio.io/proxyCPU: 100m
    spec:
      serviceAccountName: ${app}
      containers:
        - name: ${app}
          image: example.com/${app}:1.0
          ports:
            - containerPort: 8080
          envFrom:
            - configMapRef:
                name: ${app}-config
                optional: true`,
      `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${app}
  namespace: ${ns}`,
      `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  hosts:
    - ${app}
  http:
    - match:
        - uri:
            regex: "^/api/v[0-9]+/${app}/.*"
        - headers:
            end-user:
              exact: tester
      route:
        - destination:
            host: ${app}
            subset: ${missingSubset ? 'v9' : 'v2'}
    - route:
        - destination:
            host: ${app}.${ns}.svc.cluster.local
            subset: v1
          weight: 90
        - destination:
            host: ${app}.${next}.svc.cluster.local
          weight: 10`,
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  host: ${app}
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2`,
      `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
  mtls:
    mode: STRICT`,
      `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: ${app}
  action: ALLOW
  rules:
    - from:
        - source:
            principals:
              - cluster.local/ns/${next}/sa/${app}
            namespaces:
              - ${ns}
      to:
        - operation:
            methods: ["GET", "POST"]
            paths: ["/api/*"]`,
    );
  }
  return `${docs.join('\n---\n')}\n`;
}

/** Writes a config of about `size` resources, one file per namespace; returns dir and count. */
function generate(size) {
  const apps = Math.max(1, Math.round((size / NAMESPACES - 2) / 7));
  const dir = mkdtempSync(join(tmpdir(), `meshstage-bench-${size}-`));
  for (let n = 0; n < NAMESPACES; n++) {
    writeFileSync(
      join(dir, `ns-${String(n).padStart(3, '0')}.yaml`),
      namespaceYaml(n, apps),
    );
  }
  return { dir, resources: NAMESPACES * (2 + 7 * apps) };
}

const { analyzers, meshes } = selectAnalyzers({
  adapters: [new IstioAdapter(), new LinkerdAdapter()],
});

function parseAll(files) {
  return files.map(f => parseManifests(f.file, f.text));
}

function timeIt(fn) {
  const t0 = performance.now();
  const result = fn();
  return { ms: performance.now() - t0, result };
}

/**
 * Per-analyzer times over one snapshot of an already parsed input: each analyzer's own work,
 * without parsing, the snapshot or positions (after a GC, so one rule does not pay for another's
 * garbage).
 */
function analyzerTimes(merged) {
  const snapshot = createSnapshot(merged.objects.map(m => m.object));
  const ctx = { meshes, includesCluster: false, validateSchema };
  const out = new Map();
  for (const analyzer of analyzers) {
    global.gc?.();
    out.set(analyzer.id, timeIt(() => analyzer.analyze(snapshot, ctx)).ms);
  }
  return out;
}

function measure(size, rounds) {
  const { dir, resources } = generate(size);
  const files = readdirSync(dir)
    .sort()
    .map(name => ({ file: name, text: readFileSync(join(dir, name), 'utf8') }));
  const bytes = files.reduce((s, f) => s + f.text.length, 0);
  const parse = [];
  const full = [];
  const analysis = [];
  let findings = [];
  for (let r = 0; r < rounds; r++) {
    parse.push(timeIt(() => parseAll(files)).ms);
    global.gc?.();
    // parse+analyze, with its analysis part timed inside the same run: the difference of two
    // separately timed runs is mostly parse-time noise at 100k.
    const t0 = performance.now();
    const parsed = parseAll(files);
    const t = timeIt(() =>
      runAnalysis(mergeManifests([], parsed), { analyzers, meshes }),
    );
    full.push(performance.now() - t0);
    analysis.push(t.ms);
    findings = t.result;
    global.gc?.();
  }
  const perAnalyzer = analyzerTimes(mergeManifests([], parseAll(files)));
  rmSync(dir, { recursive: true, force: true });
  const codes = {};
  for (const f of findings) codes[f.code] = (codes[f.code] ?? 0) + 1;
  return {
    size,
    resources,
    bytes,
    parse: median(parse),
    full: median(full),
    analysis: median(analysis),
    analysisRuns: analysis,
    parseRuns: parse,
    fullRuns: full,
    findings: codes,
    perAnalyzer,
  };
}

log(
  `meshstage validate bench: ${
    analyzers.length
  } analyzers, ${NAMESPACES} namespaces, Node ${process.version}, ${
    cpus().length
  } CPUs`,
);
// Warm the JIT and the lazily transformed TypeScript modules before measuring.
measure(SIZES[0], 1);
const results = [];
for (const size of SIZES) {
  const r = measure(size, size > 10_000 ? ROUNDS_LARGE : ROUNDS);
  results.push(r);
  log(
    `\n== ${r.resources.toLocaleString('en-US')} resources (${(
      r.bytes / 1e6
    ).toFixed(1)} MB of YAML in ${NAMESPACES} files), median of ${
      r.parseRuns.length
    }`,
  );
  log(
    `parse alone       ${ms(r.parse)}   (runs: ${r.parseRuns
      .map(Math.round)
      .join(', ')})`,
  );
  log(
    `parse + analyze   ${ms(r.full)}   (runs: ${r.fullRuns
      .map(Math.round)
      .join(', ')})`,
  );
  log(
    `  of which analysis ${ms(r.analysis)}   (runs: ${r.analysisRuns
      .map(Math.round)
      .join(', ')}; merge, every analyzer, positions, suppressions)`,
  );
  log(
    `analysis adds     ${x(
      r.analysis / r.parse,
    )} the parse time (target <= 2x); parse+analyze / parse alone = ${x(
      r.full / r.parse,
    )}`,
  );
  log(`findings          ${JSON.stringify(r.findings)}`);
}
if (results.length >= 2) {
  const [a, b] = [results[0], results[results.length - 1]];
  const k = b.resources / a.resources;
  log(
    `\n== scaling ${a.resources.toLocaleString(
      'en-US',
    )} -> ${b.resources.toLocaleString('en-US')} resources (${x(
      k,
    )} the input; linear is ~${x(k)})`,
  );
  log(`parse alone       ${x(b.parse / a.parse)}`);
  log(`parse + analyze   ${x(b.full / a.full)}`);
  log(`analysis alone    ${x(b.analysis / a.analysis)}`);
  log(
    'slowest analyzers at the large size (analyze() alone on a built snapshot):',
  );
  const rows = [...b.perAnalyzer.entries()]
    .sort((p, q) => q[1] - p[1])
    .slice(0, 10);
  for (const [id, t] of rows) {
    const small = a.perAnalyzer.get(id);
    log(
      `  ${id.padEnd(40)} ${ms(small).padStart(9)} -> ${ms(t).padStart(
        9,
      )}  (${x(t / small)})`,
    );
  }
}
