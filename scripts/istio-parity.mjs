#!/usr/bin/env node
// Parity with `istioctl analyze`, for local use (not CI): runs `meshstage validate --format json`
// over the analyzer test cases of an istio/istio checkout and scores our findings against the
// expectations istio keeps for them.
//
//   node scripts/istio-parity.mjs <istio checkout> [--cases] [--unscoped] [--only <regex>]
//                                 [--jobs N] [--json <file>]
//
// It reads, from the checkout (nothing of istio's is copied into this repository):
//   pkg/config/analysis/analyzers/analyzers_test.go  the test grid: each case's input files, mesh
//       config, analyzer and expected (message type, "Kind namespace/name") pairs
//   pkg/config/analysis/analyzers/<pkg>/*.go          which message types each analyzer can emit
//       (the `msg.New<Type>(` calls in the file that defines it)
//   pkg/config/analysis/msg/messages.yaml             message type name -> IST code
//
// Scoring: a finding is (IST code, resource kind, namespace, name). Each istio case runs one
// analyzer, so by default only our findings whose istioCode that analyzer can emit count for the
// case, and of those only the ones whose MeshStage code is the counterpart of that very analyzer
// (OUR_ANALYZERS below: several istio analyzers emit IST0101, and our MS0201 host check is not in
// question in a case that runs only istio's gateway analyzer). --unscoped counts every finding
// carrying an istioCode. Expectations without a namespace
// (the object had none in its file) match our `default` namespace or a cluster-scoped object.
// Pairs are matched as multisets. Findings with no istioCode (our own codes) are never scored.
//
// A case's mesh config and mesh networks files are passed as `--mesh-config` and
// `--mesh-networks`. Limit: istio's test setup also adds a default ingress gateway Pod and Service
// in istio-system, which are not added here (meshstage itself decides what files-only analysis
// assumes).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'packages/cli/bin/meshstage');

function usage(message) {
  if (message) console.error(message);
  console.error(
    'usage: node scripts/istio-parity.mjs <istio checkout> [--cases] [--unscoped] [--only <regex>] [--jobs N] [--json <file>]',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const opts = { cases: false, unscoped: false, jobs: 4 };
let istio;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--cases') opts.cases = true;
  else if (a === '--unscoped') opts.unscoped = true;
  else if (a === '--only') opts.only = new RegExp(args[++i] ?? usage());
  else if (a === '--jobs') opts.jobs = Math.max(1, Number(args[++i]) || 1);
  else if (a === '--json') opts.json = args[++i] ?? usage();
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (!istio) istio = resolve(a);
  else usage('one istio checkout only');
}
if (!istio) usage();
const ANALYZERS = join(istio, 'pkg/config/analysis/analyzers');
const TEST_FILE = join(ANALYZERS, 'analyzers_test.go');
if (!existsSync(TEST_FILE))
  usage(`not an istio checkout: ${TEST_FILE} missing`);

// ---- message catalogue ---------------------------------------------------------------------
const catalogue = parseYaml(
  readFileSync(join(istio, 'pkg/config/analysis/msg/messages.yaml'), 'utf8'),
).messages;
const codeOf = new Map(catalogue.map(m => [m.name, m.code]));
const nameOf = new Map(catalogue.map(m => [m.code, m.name]));

// ---- the test grid -------------------------------------------------------------------------
const source = readFileSync(TEST_FILE, 'utf8');

/** import alias -> package directory under analyzers/ */
const packages = new Map();
for (const m of source.matchAll(
  /^\s*(?:(\w+)\s+)?"istio\.io\/istio\/pkg\/config\/analysis\/analyzers\/([\w/]+)"/gm,
)) {
  const dir = m[2];
  packages.set(m[1] ?? dir.split('/').pop(), dir);
}

/** The body of `var testGrid = []testCase{ ... }`, split into top-level `{...}` entries. */
function gridEntries(text) {
  const start = text.indexOf('var testGrid = []testCase{');
  if (start < 0) throw new Error('testGrid not found in analyzers_test.go');
  const entries = [];
  let depth = 0;
  let entryStart = -1;
  let inString = false;
  for (let i = text.indexOf('{', start) + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === inString) inString = false;
      continue;
    }
    if (c === '"' || c === '`') inString = c;
    else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i);
    else if (c === '{') {
      if (depth === 0) entryStart = i;
      depth++;
    } else if (c === '}') {
      if (depth === 0) break;
      depth--;
      if (depth === 0) entries.push(text.slice(entryStart, i + 1));
    }
  }
  return entries;
}

const stripComments = text =>
  text
    .split('\n')
    .filter(l => !/^\s*\/\//.test(l))
    .join('\n');

function parseCase(raw) {
  const text = stripComments(raw);
  const str = field => text.match(new RegExp(`\\b${field}:\\s*"([^"]*)"`))?.[1];
  const files = text.match(/\binputFiles:\s*\[\]string\{([^}]*)\}/)?.[1] ?? '';
  const analyzer = text.match(/\banalyzer:\s*(.+?),?\s*\n/)?.[1].trim();
  const expected = [...text.matchAll(/\{msg\.(\w+),\s*"([^"]*)"\}/g)].map(
    m => ({ type: m[1], ...parseOrigin(m[2]) }),
  );
  return {
    name: str('name'),
    inputFiles: [...files.matchAll(/"([^"]+)"/g)].map(m => m[1]),
    meshConfigFile: str('meshConfigFile'),
    meshNetworksFile: str('meshNetworksFile'),
    analyzer,
    expected,
  };
}

/** "Kind ns/name" or "Kind name" (istio's resource FriendlyName). */
function parseOrigin(origin) {
  const space = origin.indexOf(' ');
  const kind = origin.slice(0, space);
  const rest = origin.slice(space + 1);
  const slash = rest.indexOf('/');
  return slash < 0
    ? { kind, name: rest }
    : { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

/**
 * The istio analyzer (package dir.Type) each MeshStage code is the counterpart of, for codes whose
 * istioctl code several istio analyzers emit or whose istio analyzer is known. A code missing here
 * is scoped by its istioCode alone.
 */
const OUR_ANALYZERS = {
  MS0102: ['injection.Analyzer'],
  MS0105: ['service.PortNameAnalyzer'],
  MS0106: ['deployment.ServiceAssociationAnalyzer'],
  MS0201: ['virtualservice.DestinationHostAnalyzer'],
  MS0202: ['virtualservice.GatewayAnalyzer'],
  MS0203: ['virtualservice.DestinationRuleAnalyzer'],
  MS0204: ['gateway.SecretAnalyzer'],
  MS0205: ['virtualservice.ConflictingMeshGatewayHostsAnalyzer'],
  MS0206: ['sidecar.SelectorAnalyzer'],
  MS0207: ['sidecar.SelectorAnalyzer'],
  MS0209: ['gateway.IngressGatewayPortAnalyzer', 'gateway.SecretAnalyzer'],
  MS0210: ['schema.CollectionValidationAnalyzer'],
  MS0211: ['schema.CollectionValidationAnalyzer'],
  MS0212: ['annotations.K8sAnalyzer'],
  MS0213: ['annotations.K8sAnalyzer'],
  MS0214: ['annotations.K8sAnalyzer'],
  MS0215: ['gateway.IngressGatewayPortAnalyzer'],
  MS0217: ['schema.CollectionValidationAnalyzer'],
  MS0218: ['destinationrule.PodNotSelectedAnalyzer'],
  MS0219: ['authz.AuthorizationPoliciesAnalyzer'],
  MS0225: ['sidecar.SelectorAnalyzer'],
  MS0226: ['virtualservice.GatewayAnalyzer'],
  MS0227: ['virtualservice.GatewayAnalyzer'],
  MS0228: ['gateway.ConflictingGatewayAnalyzer'],
  MS0229: ['destinationrule.CaCertificateAnalyzer'],
  MS0230: ['destinationrule.CaCertificateAnalyzer'],
  MS0231: ['virtualservice.DestinationHostAnalyzer'],
  MS0232: ['authz.AuthorizationPoliciesAnalyzer'],
  MS0233: ['annotations.K8sAnalyzer'],
  MS0234: ['maturity.AlphaAnalyzer'],
  MS0235: ['service.PortNameAnalyzer'],
  MS0236: ['deployment.ServiceAssociationAnalyzer'],
  MS0237: ['schema.CollectionValidationAnalyzer'],
  MS0238: ['envoyfilter.EnvoyPatchAnalyzer'],
  MS0239: ['envoyfilter.EnvoyPatchAnalyzer'],
  MS0240: ['envoyfilter.EnvoyPatchAnalyzer'],
  MS0241: ['envoyfilter.EnvoyPatchAnalyzer'],
  MS0242: ['envoyfilter.EnvoyPatchAnalyzer'],
  MS0243: ['injection.Analyzer'],
  MS0244: ['injection.Analyzer'],
  MS0245: ['injection.Analyzer'],
  MS0246: ['injection.ImageAnalyzer'],
  MS0247: ['conditions.ConditionAnalyzer'],
  MS0248: ['serviceentry.ProtocolAddressesAnalyzer'],
  MS0249: ['serviceentry.ConflictingServiceEntryProtocolAnalyzer'],
  MS0250: ['gateway.SecretAnalyzer'],
  MS0251: ['gateway.CertificateAnalyzer'],
  MS0252: ['deployment.ApplicationUIDAnalyzer'],
  MS0253: ['telemetry.SelectorAnalyzer'],
  MS0254: ['telemetry.SelectorAnalyzer'],
  MS0255: ['telemetry.DefaultSelectorAnalyzer'],
  MS0256: ['telemetry.ProviderAnalyzer'],
  MS0257: ['telemetry.LightstepAnalyzer'],
  MS0258: ['multicluster.MeshNetworksAnalyzer'],
  MS0259: ['k8sgateway.SelectorAnalyzer'],
  MS0260: ['externalcontrolplane.ExternalControlPlaneAnalyzer'],
  MS0261: ['externalcontrolplane.ExternalControlPlaneAnalyzer'],
  MS0262: ['webhook.Analyzer'],
  MS0263: ['destinationrule.PodNotSelectedAnalyzer'],
  MS0264: ['sidecar.SelectorAnalyzer'],
  MS0265: ['deprecation.FieldAnalyzer'],
  MS0266: ['injection.ImageAutoAnalyzer'],
  MS0267: ['injection.ImageAutoAnalyzer'],
  MS0268: ['k8sgateway.CRDVersionAnalyzer'],
  MS0269: ['authn.BlockedCIDRsAnalyzer'],
  MS0270: ['virtualservice.JWTClaimRouteAnalyzer'],
  MS0271: ['virtualservice.DestinationHostAnalyzer'],
  MS0272: ['schema.CollectionValidationAnalyzer'],
};

/** `&virtualservice.GatewayAnalyzer{}` -> `virtualservice.GatewayAnalyzer` (package dir, not alias). */
function analyzerName(expr) {
  const m = expr.match(/^&?(\w+)\.(\w+)/);
  if (!m) return expr;
  return `${(packages.get(m[1]) ?? m[1]).split('/').pop()}.${m[2]}`;
}

// ---- analyzer -> message types -------------------------------------------------------------
const emitCache = new Map();
/** IST codes the analyzer of a case can emit: msg.New<Type> calls in the file defining it. */
function analyzerCodes(expr) {
  if (emitCache.has(expr)) return emitCache.get(expr);
  const m = expr.match(/^&?(\w+)\.(\w+)/);
  const codes = new Set();
  if (m) {
    const dir = join(ANALYZERS, packages.get(m[1]) ?? m[1]);
    const ident = m[2];
    const defines = new RegExp(
      `func\\s+(?:\\(\\s*\\w*\\s*\\*?${ident}\\s*\\)\\s*Analyze|${ident})\\s*\\(`,
    );
    const goFiles = existsSync(dir)
      ? readdirSync(dir).filter(
          f => f.endsWith('.go') && !f.endsWith('_test.go'),
        )
      : [];
    const texts = goFiles.map(f => readFileSync(join(dir, f), 'utf8'));
    const own = texts.filter(t => defines.test(t));
    for (const t of own.length ? own : texts) {
      for (const call of t.matchAll(/msg\.New(\w+)\(/g)) {
        const code = codeOf.get(call[1]);
        if (code) codes.add(code);
      }
    }
  }
  emitCache.set(expr, codes);
  return codes;
}

// ---- running meshstage ---------------------------------------------------------------------
function validate(files, settings) {
  return new Promise(done => {
    execFile(
      process.execPath,
      [
        BIN,
        'validate',
        ...files,
        ...settings,
        '--format',
        'json',
        '--fail-on',
        'never',
      ],
      { cwd: root, maxBuffer: 256 * 1024 * 1024, timeout: 10 * 60 * 1000 },
      (error, stdout, stderr) => {
        try {
          done({ findings: JSON.parse(stdout).findings ?? [] });
        } catch {
          done({
            findings: [],
            error: (stderr || error?.message || 'no output').trim(),
          });
        }
      },
    );
  });
}

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---- scoring -------------------------------------------------------------------------------
const sameResource = (exp, f) =>
  f.resource &&
  f.resource.kind === exp.kind &&
  f.resource.name === exp.name &&
  (exp.namespace === undefined
    ? f.resource.namespace === undefined || f.resource.namespace === 'default'
    : f.resource.namespace === exp.namespace);

const showResource = r =>
  `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;

function score(c, findings) {
  const scope = analyzerCodes(c.analyzer);
  const name = analyzerName(c.analyzer);
  const reported = findings.filter(
    f =>
      f.istioCode &&
      (opts.unscoped ||
        (scope.has(f.istioCode) &&
          (!OUR_ANALYZERS[f.code] || OUR_ANALYZERS[f.code].includes(name)))),
  );
  const unused = new Set(reported);
  const matched = [];
  const missed = [];
  for (const exp of c.expected) {
    const code = codeOf.get(exp.type) ?? `?${exp.type}`;
    const hit = [...unused].find(
      f => f.istioCode === code && sameResource(exp, f),
    );
    if (hit) {
      unused.delete(hit);
      matched.push({ code, exp, finding: hit });
    } else missed.push({ code, exp });
  }
  return { scope, reported, matched, missed, extra: [...unused] };
}

// ---- main ----------------------------------------------------------------------------------
const cases = gridEntries(source)
  .map(parseCase)
  .filter(c => c.name && c.analyzer)
  .filter(
    c => !opts.only || opts.only.test(c.name) || opts.only.test(c.analyzer),
  );

const results = await mapLimit(cases, opts.jobs, async c => {
  const files = c.inputFiles.map(f => join(ANALYZERS, f));
  const settings = [
    ...(c.meshConfigFile
      ? ['--mesh-config', join(ANALYZERS, c.meshConfigFile)]
      : []),
    ...(c.meshNetworksFile
      ? ['--mesh-networks', join(ANALYZERS, c.meshNetworksFile)]
      : []),
  ];
  const run = await validate(files, settings);
  return { case: c, error: run.error, ...score(c, run.findings) };
});

const byCode = new Map();
const row = code => {
  if (!byCode.has(code))
    byCode.set(code, { code, expected: 0, reported: 0, matched: 0 });
  return byCode.get(code);
};
let errors = 0;
for (const r of results) {
  if (r.error) errors++;
  for (const e of r.case.expected)
    row(codeOf.get(e.type) ?? `?${e.type}`).expected++;
  for (const f of r.reported) row(f.istioCode).reported++;
  for (const m of r.matched) row(m.code).matched++;
}

const pct = (a, b) => (b === 0 ? '   -' : (a / b).toFixed(2));
const rows = [...byCode.values()].sort(
  (a, b) => b.expected - a.expected || a.code.localeCompare(b.code),
);
console.log(
  `istio analyzer test grid: ${cases.length} cases from ${TEST_FILE}` +
    (opts.unscoped ? ' (unscoped)' : " (scoped to each case's analyzer)"),
);
console.log('');
console.log(
  'code     message type                                        expected reported matched recall precision',
);
for (const r of rows) {
  console.log(
    `${r.code.padEnd(8)} ${(nameOf.get(r.code) ?? '').padEnd(51)} ${String(
      r.expected,
    ).padStart(8)} ${String(r.reported).padStart(8)} ${String(
      r.matched,
    ).padStart(7)} ${pct(r.matched, r.expected).padStart(6)} ${pct(
      r.matched,
      r.reported,
    ).padStart(9)}`,
  );
}
const total = rows.reduce(
  (t, r) => ({
    expected: t.expected + r.expected,
    reported: t.reported + r.reported,
    matched: t.matched + r.matched,
  }),
  { expected: 0, reported: 0, matched: 0 },
);
const typesExpected = rows.filter(r => r.expected > 0).length;
const typesHit = rows.filter(r => r.matched > 0).length;
console.log('');
console.log(
  `overall: expected ${total.expected}, reported ${total.reported}, matched ${total.matched}, ` +
    `recall ${pct(total.matched, total.expected)}, precision ${pct(
      total.matched,
      total.reported,
    )}; ` +
    `message types expected ${typesExpected}, matched at least once ${typesHit}` +
    (errors ? `; ${errors} case(s) failed to run` : ''),
);
if (opts.cases) {
  for (const r of results) {
    if (!r.error && r.missed.length === 0 && r.extra.length === 0) continue;
    console.log('');
    console.log(
      `# ${r.case.name}  [${r.case.analyzer}]  ${r.case.inputFiles.join(' ')}`,
    );
    if (r.error) console.log(`  ERROR ${r.error.split('\n')[0]}`);
    for (const m of r.missed)
      console.log(`  missed ${m.code} ${m.exp.type} ${showResource(m.exp)}`);
    for (const f of r.extra)
      console.log(
        `  extra  ${f.istioCode} ${f.code} ${showResource(
          f.resource ?? { kind: '?', name: '?' },
        )} ${f.path ?? ''}: ${f.message}`,
      );
  }
}

if (opts.json) {
  writeFileSync(
    opts.json,
    JSON.stringify(
      {
        total,
        rows,
        cases: results.map(r => ({
          name: r.case.name,
          analyzer: r.case.analyzer,
          error: r.error,
          missed: r.missed.map(m => ({ code: m.code, ...m.exp })),
          extra: r.extra.map(f => ({
            code: f.istioCode,
            ms: f.code,
            resource: f.resource,
            path: f.path,
            message: f.message,
          })),
        })),
      },
      null,
      2,
    ),
  );
}
