import fs from 'node:fs';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startKubeSim } from '@meshstage/kube-sim';
import type { Finding } from '@meshstage/plugin-mesh-common';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import { objectIdentity } from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { VALIDATION_SCAN_TASK_ID } from './scheduleScans';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';

const ROOT = path.resolve(__dirname, '../../../..');
const EXAMPLE_CLUSTER = path.join(ROOT, 'examples/cluster');
const BROKEN = path.join(ROOT, 'examples/broken');
const CRDS = path.join(__dirname, '__fixtures__/crds.yaml');
// The broken shop's manifests a cluster can hold (not the Helm values file or the bad YAML).
const BROKEN_MANIFESTS = [
  '00-namespaces.yaml',
  '10-istio-system.yaml',
  '20-shop.yaml',
  '30-payments.yaml',
].map(f => path.join(BROKEN, f));

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

const entities = [
  component('shop-productpage', {
    'backstage.io/kubernetes-label-selector': 'app=productpage',
    'backstage.io/kubernetes-namespace': 'shop',
  }),
  component('payments', {
    'backstage.io/kubernetes-label-selector': 'app=payments',
    'backstage.io/kubernetes-namespace': 'payments',
  }),
  component('website', {}),
];

// A simulated cluster and a backend per describe: jest's 5 s default is too tight on a busy
// machine.
jest.setTimeout(90_000);

function backendConfig(
  clusters: Array<{ name: string; url: string; token?: string }>,
) {
  return mockServices.rootConfig.factory({
    data: {
      mesh: {
        // Not under test here: generous, so a busy machine never turns a slow read into a 503.
        clusterTimeout: { seconds: 30 },
        validation: {
          keepScans: 5,
          maxFiles: 10,
          maxFileBytes: 20_000,
          maxRequestBytes: 100_000,
        },
      },
      ...kubernetesClustersConfig(clusters),
    },
  });
}

/** `code identity path`: what the same finding is, whatever its message or position. */
function key(f: Finding): string {
  return `${f.code} ${f.resource ? objectIdentity(f.resource) : '-'} ${
    f.path ?? ''
  }`;
}

/** `code file:line` for every `# expect:` comment in examples/broken (as the CLI test reads them). */
function plantedProblems(): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(BROKEN).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    fs.readFileSync(path.join(BROKEN, name), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = /#\s*expect:\s*(MS\d{4}(?:\s*,\s*MS\d{4})*)/.exec(text);
        for (const code of m ? m[1].split(/\s*,\s*/) : []) {
          out.push(`${code} ${name}:${i + 1}`);
        }
      });
  }
  return out.sort();
}

describe('validation against a simulated cluster with the broken shop', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;
  // The mock scheduler instance's own factory installs that instance, so the test can trigger
  // the plugin's scheduled task (its type does not declare the factory).
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & { factory: typeof mockServices.scheduler.factory };
  const auditEvent = { success: jest.fn(), fail: jest.fn() };
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async () => auditEvent),
  });

  beforeAll(async () => {
    sim = await startKubeSim({
      seed: [CRDS, EXAMPLE_CLUSTER, ...BROKEN_MANIFESTS],
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        linkerdModule,
        backendConfig([
          { name: 'dev', url: sim.url, token: sim.token },
          // Nothing listens there: connections are refused.
          { name: 'down', url: 'http://127.0.0.1:9' },
        ]),
        catalogServiceMock.factory({ entities }),
        scheduler.factory({ skipTaskRunOnStartup: true }),
        auditor.factory,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  const api = () => request(backend.server);

  it('says that no scan exists yet instead of reporting no findings', async () => {
    const findings = await api().get('/api/mesh/validation/findings');
    expect(findings.status).toBe(200);
    expect(findings.body.items).toEqual([
      { cluster: 'dev', scan: null, findings: [] },
      { cluster: 'down', scan: null, findings: [] },
    ]);
    const entity = await api().get(
      '/api/mesh/entity/component/default/shop-productpage/findings',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.clusters).toEqual([
      { cluster: 'dev', scan: null, findings: [] },
      { cluster: 'down', scan: null, findings: [] },
    ]);
  });

  it('validates uploaded files with positions: exactly the planted problems of examples/broken', async () => {
    const files = fs
      .readdirSync(BROKEN)
      .filter(f => f.endsWith('.yaml'))
      .sort()
      .map(name => ({
        name,
        content: fs.readFileSync(path.join(BROKEN, name), 'utf8'),
      }));
    const res = await api().post('/api/mesh/validate').send({ files });
    expect(res.status).toBe(200);
    const findings: Finding[] = res.body.findings;
    expect(
      findings.map(f => `${f.code} ${f.source?.file}:${f.source?.line}`).sort(),
    ).toEqual(plantedProblems());
    expect(findings.every(f => f.source && f.source.column >= 1)).toBe(true);
    expect(res.body.summary).toEqual({
      error: findings.filter(f => f.severity === 'error').length,
      warning: findings.filter(f => f.severity === 'warning').length,
      info: findings.filter(f => f.severity === 'info').length,
      suppressed: 0,
    });

    const suppressed = await api()
      .post('/api/mesh/validate')
      .send({
        files,
        suppress: [
          'MS0201',
          { code: 'IST0101', resource: 'VirtualService/shop/*' },
        ],
        meshes: ['istio'],
      });
    expect(suppressed.status).toBe(200);
    const byCode = (code: string) =>
      suppressed.body.findings.filter((f: Finding) => f.code === code);
    expect(byCode('MS0201')).toEqual([
      expect.objectContaining({ suppressed: true, suppressedBy: 'config' }),
    ]);
    // Only Istio's rules ran: the Linkerd problems are not reported.
    expect(byCode('MS0302')).toEqual([]);
    expect(suppressed.body.summary.suppressed).toBeGreaterThanOrEqual(2);
  });

  let firstScanId: string;

  it('the scheduled scan finds what POST /validate with the cluster finds', async () => {
    await scheduler.triggerTask(VALIDATION_SCAN_TASK_ID);

    const scans = await api().get('/api/mesh/validation/scans');
    expect(scans.status).toBe(200);
    expect(
      scans.body.items.map((s: any) => [s.cluster, s.trigger, s.status]),
    ).toEqual([
      ['down', 'schedule', 'failed'],
      ['dev', 'schedule', 'succeeded'],
    ]);
    expect(scans.body.items[0].error).toMatch(/ECONNREFUSED|refused/);
    const dev = scans.body.items[1];
    firstScanId = dev.id;
    expect(dev).toMatchObject({
      id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      previousScanId: null,
      meshes: ['istio', 'linkerd'],
      new: 0,
      fixed: 0,
    });

    const detail = await api().get(`/api/mesh/validation/scans/${dev.id}`);
    expect(detail.status).toBe(200);
    const scanned: Finding[] = detail.body.findings;
    const live = await api()
      .post('/api/mesh/validate')
      .send({ cluster: 'dev' });
    expect(live.status).toBe(200);
    expect(new Set(live.body.findings.map(key))).toEqual(
      new Set(scanned.map(key)),
    );
    expect(scanned.length).toBe(live.body.findings.length);
    expect(dev.summary).toEqual(live.body.summary);

    // The cluster holds the planted problems (those of objects; not the file-level ones, nor
    // MS0232, which the files alone have: istioctl matches AuthorizationPolicies against Pods,
    // which the files lack and the cluster runs).
    const objectProblems = plantedProblems()
      .map(p => p.split(' ')[0])
      .filter(code => !['MS0001', 'MS0002', 'MS0232'].includes(code));
    expect(scanned.map(f => f.code)).toEqual(
      expect.arrayContaining(objectProblems),
    );
    // Cluster objects carry no file positions.
    expect(scanned.every(f => f.source === undefined)).toBe(true);

    const latest = await api().get(
      '/api/mesh/validation/findings?cluster=dev&severity=error',
    );
    expect(latest.status).toBe(200);
    expect(latest.body.items).toHaveLength(1);
    expect(latest.body.items[0].scan.id).toBe(dev.id);
    expect(latest.body.items[0].findings.map(key).sort()).toEqual(
      scanned
        .filter(f => f.severity === 'error')
        .map(key)
        .sort(),
    );
    const down = await api().get('/api/mesh/validation/findings?cluster=down');
    expect(down.body.items[0]).toMatchObject({
      scan: null,
      lastFailedScan: { error: expect.stringMatching(/ECONNREFUSED/) },
    });
  });

  it('files override the cluster objects they redefine', async () => {
    const fixed = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
  namespace: shop
spec:
  hosts: [ratings]
  http:
    - route:
        - destination:
            host: ratings-v3
`;
    const res = await api()
      .post('/api/mesh/validate')
      .send({
        cluster: 'dev',
        files: [{ name: 'ratings.yaml', content: fixed }],
      });
    expect(res.status).toBe(200);
    const ratings = res.body.findings.filter(
      (f: Finding) => f.code === 'MS0201' && f.resource?.name === 'ratings',
    );
    expect(ratings).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('ratings-v3'),
        source: { file: 'ratings.yaml', line: 11, column: 13 },
      }),
    ]);
  });

  it('a scan after fixing an object reports it fixed and nothing new', async () => {
    const patched = await fetch(
      `${sim.url}/apis/networking.istio.io/v1/namespaces/shop/virtualservices/ratings`,
      {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${sim.token}`,
          'Content-Type': 'application/merge-patch+json',
        },
        body: JSON.stringify({
          spec: { http: [{ route: [{ destination: { host: 'ratings' } }] }] },
        }),
      },
    );
    expect(patched.status).toBe(200);

    const res = await api()
      .post('/api/mesh/validation/scans')
      .send({ cluster: 'dev' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      cluster: 'dev',
      trigger: 'manual',
      status: 'succeeded',
      previousScanId: firstScanId,
      new: 0,
      fixed: 1,
    });
    // The manual scan is audited with its outcome.
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'mesh-validation-scan',
        severityLevel: 'medium',
        meta: { cluster: 'dev' },
      }),
    );
    expect(auditEvent.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        scanId: res.body.id,
        status: 'succeeded',
      }),
    });
    const detail = await api().get(`/api/mesh/validation/scans/${res.body.id}`);
    expect(detail.body.fixed).toEqual([
      expect.objectContaining({
        code: 'MS0201',
        resource: expect.objectContaining({
          kind: 'VirtualService',
          name: 'ratings',
        }),
        fingerprint: expect.any(String),
      }),
    ]);
    expect(detail.body.findings.some((f: any) => f.new)).toBe(false);

    const history = await api().get(
      '/api/mesh/validation/scans?cluster=dev&limit=1',
    );
    expect(history.body.items.map((s: any) => s.id)).toEqual([res.body.id]);
  });

  it('gives an entity only the findings of its workloads, the resources routing to them and its namespace', async () => {
    const res = await api().get(
      '/api/mesh/entity/component/default/shop-productpage/findings',
    );
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/shop-productpage');
    const [dev, down] = res.body.clusters;
    expect(down).toEqual({ cluster: 'down', scan: null, findings: [] });
    expect(dev.scan.status).toBe('succeeded');
    // Its Service, Deployment and the Deployment's live pod, and the VirtualService routing to
    // its Service; nothing of reviews or ratings next door.
    expect(
      dev.findings
        .map(
          (f: Finding) =>
            `${f.code} ${f.resource?.kind}/${f.resource?.name.replace(
              /^productpage-[a-z0-9]+-[a-z0-9]+$/,
              'productpage-<pod>',
            )}`,
        )
        .sort(),
    ).toEqual([
      'MS0102 Pod/productpage-<pod>',
      'MS0105 Service/productpage',
      'MS0107 Deployment/productpage',
      'MS0202 VirtualService/productpage',
      'MS0211 VirtualService/productpage',
      'MS0212 Deployment/productpage',
      'MS0212 Pod/productpage-<pod>',
      // The missing gateway serves none of its hosts either (istioctl: IST0132 beside IST0101).
      'MS0227 VirtualService/productpage',
    ]);

    const payments = await api().get(
      '/api/mesh/entity/component/default/payments/findings',
    );
    expect(payments.status).toBe(200);
    // Its pod and its namespace; the Linkerd Server selecting `app: payment` (a typo) and the
    // policy targeting a missing Server are not its own.
    expect(
      payments.body.clusters[0].findings
        .map(
          (f: Finding) => `${f.code} ${f.resource?.kind}/${f.resource?.name}`,
        )
        .sort(),
    ).toEqual([
      expect.stringMatching(/^MS0102 Pod\/payments-[a-z0-9]+-[a-z0-9]+$/),
      'MS0301 Namespace/payments',
    ]);

    const unannotated = await api().get(
      '/api/mesh/entity/component/default/website/findings',
    );
    expect(unannotated.status).toBe(400);
    expect(unannotated.body.error.message).toContain(
      'backstage.io/kubernetes-id',
    );
    const missing = await api().get(
      '/api/mesh/entity/component/default/nope/findings',
    );
    expect(missing.status).toBe(404);
  });

  it("explains an entity's codes from the engine's registry, and lists its fixed findings", async () => {
    const res = await api().get(
      '/api/mesh/entity/component/default/shop-productpage/findings',
    );
    expect(res.status).toBe(200);
    const [dev] = res.body.clusters;
    expect(dev.fixed).toEqual([]);
    const seen = [...new Set(dev.findings.map((f: Finding) => f.code))].sort();
    expect(res.body.codes.map((c: { code: string }) => c.code)).toEqual(seen);
    expect(
      res.body.codes.find((c: { code: string }) => c.code === 'MS0202'),
    ).toMatchObject({
      name: expect.any(String),
      severity: 'error',
      summary: expect.any(String),
      help: expect.any(String),
      istioCode: 'IST0101',
    });
  });

  it.each([
    [{ files: [{ name: 'a.yaml' }] }, "'files.0.content'"],
    [{}, "'files'"],
    [{ files: 'x' }, "'files'"],
    [{ cluster: 'nope' }, "'cluster'"],
    [{ cluster: 'dev', meshes: ['cilium'] }, "'meshes'"],
    [{ cluster: 'dev', suppress: [42] }, "'suppress.0'"],
    [{ cluster: 'dev', bogus: true }, 'bogus'],
    [
      {
        files: [
          { name: 'a.yaml', content: '' },
          { name: 'a.yaml', content: '' },
        ],
      },
      "'files.1.name'",
    ],
    [
      {
        files: Array.from({ length: 11 }, (_, i) => ({
          name: `${i}.yaml`,
          content: '',
        })),
      },
      'mesh.validation.maxFiles',
    ],
  ])('POST /validate %j is a 400 naming %s', async (body, field) => {
    const res = await api().post('/api/mesh/validate').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(field);
  });

  it('rejects bodies that are not JSON, and too large files and bodies with 413', async () => {
    const notJson = await api()
      .post('/api/mesh/validate')
      .set('Content-Type', 'application/json')
      .send('{"files": [');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toContain('not JSON');

    const big = await api()
      .post('/api/mesh/validate')
      .send({ files: [{ name: 'big.yaml', content: 'x'.repeat(20_001) }] });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toContain("'big.yaml'");
    expect(big.body.error.message).toContain('mesh.validation.maxFileBytes');

    const huge = await api()
      .post('/api/mesh/validate')
      .send({ files: [{ name: 'huge.yaml', content: 'x'.repeat(100_001) }] });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toContain(
      'mesh.validation.maxRequestBytes',
    );
  });

  it('answers 503 when the cluster to validate against cannot be read', async () => {
    const res = await api()
      .post('/api/mesh/validate')
      .send({ cluster: 'down' });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /^Cannot read cluster 'down': .*ECONNREFUSED/,
    );
  });

  it('rejects bad scan requests and queries, naming the field', async () => {
    const cases: Array<[request.Test, number, string]> = [
      [api().post('/api/mesh/validation/scans').send({}), 400, "'cluster'"],
      [
        api().post('/api/mesh/validation/scans').send({ cluster: 'nope' }),
        400,
        "'cluster'",
      ],
      [api().get('/api/mesh/validation/scans?limit=0'), 400, "'limit'"],
      [api().get('/api/mesh/validation/scans?cluster=nope'), 400, "'cluster'"],
      [
        api().get('/api/mesh/validation/scans/abc'),
        400,
        "Invalid path parameter 'id': Invalid uuid",
      ],
      // Scan ids were integers before they were UUIDs: an old link is a clear 400, not a 404.
      [
        api().get('/api/mesh/validation/scans/1'),
        400,
        "Invalid path parameter 'id': Invalid uuid",
      ],
      [
        api().get(
          '/api/mesh/validation/scans/8a1f0c4e-2b3d-4c5e-9f60-718293a4b5c6',
        ),
        404,
        'No validation scan 8a1f0c4e-2b3d-4c5e-9f60-718293a4b5c6',
      ],
      [
        api().get('/api/mesh/validation/findings?severity=fatal'),
        400,
        "'severity'",
      ],
    ];
    for (const [req, status, text] of cases) {
      const res = await req;
      expect([res.status, res.body.error?.message]).toEqual([
        status,
        expect.stringContaining(text),
      ]);
    }
  });
});

describe('validation when the permission policy denies', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        backendConfig([]),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
  });

  afterAll(() => backend?.stop());

  it.each([
    ['post', '/validate', 'mesh.validation.read'],
    ['post', '/validation/scans', 'mesh.validation.scan'],
    ['get', '/validation/scans', 'mesh.validation.read'],
    [
      'get',
      '/validation/scans/8a1f0c4e-2b3d-4c5e-9f60-718293a4b5c6',
      'mesh.validation.read',
    ],
    ['get', '/validation/findings', 'mesh.validation.read'],
    [
      'get',
      '/entity/component/default/shop-productpage/findings',
      'mesh.validation.read',
    ],
  ] as const)('forbids %s %s (%s)', async (method, route, permission) => {
    const res = await request(backend.server)
      [method](`/api/mesh${route}`)
      .send(
        method === 'post'
          ? { files: [{ name: 'a.yaml', content: '' }], cluster: 'x' }
          : undefined,
      );
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toContain(permission);
  });
});
