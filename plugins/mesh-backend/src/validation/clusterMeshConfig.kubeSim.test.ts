import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { startKubeSim } from '@meshstage/kube-sim';
import type { Finding } from '@meshstage/plugin-mesh-common';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';

const CRDS = path.join(__dirname, '__fixtures__/crds.yaml');
const CLUSTER = path.join(__dirname, '__fixtures__/mesh-config-cluster.yaml');

// A simulated cluster and a backend: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(90_000);

/** DNS capture with address auto-allocation: ServiceEntries then need no `addresses`. */
const AUTO_ALLOCATE = `rootNamespace: istio-system
defaultConfig:
  proxyMetadata:
    ISTIO_META_DNS_CAPTURE: "true"
    ISTIO_META_DNS_AUTO_ALLOCATE: "true"
`;

describe("scans read Istio's mesh config from the cluster's istio ConfigMap", () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: [CRDS, CLUSTER] });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        linkerdModule,
        mockServices.rootConfig.factory({
          data: {
            mesh: { clusterTimeout: { seconds: 30 } },
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
            ]),
          },
        }),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  /** Calls kube-sim's API as a client would. */
  async function kube(method: string, apiPath: string, body?: unknown) {
    const res = await fetch(`${sim.url}${apiPath}`, {
      method,
      headers: {
        Authorization: `Bearer ${sim.token}`,
        'Content-Type':
          method === 'PATCH'
            ? 'application/merge-patch+json'
            : 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
  }
  const CONFIG_MAPS = '/api/v1/namespaces/istio-system/configmaps';
  const setMesh = (mesh: string) =>
    kube('PATCH', `${CONFIG_MAPS}/istio`, { data: { mesh } });

  /** Runs a manual scan of the cluster and returns its findings (the scan must succeed). */
  async function scan(): Promise<Finding[]> {
    const api = request(backend.server);
    const res = await api
      .post('/api/mesh/validation/scans')
      .send({ cluster: 'dev' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('succeeded');
    const detail = await api.get(`/api/mesh/validation/scans/${res.body.id}`);
    expect(detail.status).toBe(200);
    return detail.body.findings;
  }
  const about = (findings: Finding[], code: string) =>
    findings.filter(f => f.code === code);

  it('a nested setting of the ConfigMap (defaultConfig.proxyMetadata) changes the findings', async () => {
    const before = await scan();
    expect(about(before, 'MS0248').map(f => f.resource?.name)).toEqual([
      'orders-db',
    ]);

    await setMesh(AUTO_ALLOCATE);
    const after = await scan();
    expect(about(after, 'MS0248')).toEqual([]);
    expect(about(after, 'MS0004')).toEqual([]);
  });

  it('a ConfigMap Istio would reject is one MS0004 finding, and the scan uses the defaults', async () => {
    await setMesh(
      `${AUTO_ALLOCATE}outboundTrafficPolicy:\n  mode: SOMETIMES\n`,
    );
    const findings = await scan();
    expect(about(findings, 'MS0004')).toEqual([
      expect.objectContaining({
        severity: 'error',
        resource: expect.objectContaining({
          kind: 'ConfigMap',
          namespace: 'istio-system',
          name: 'istio',
        }),
        path: '/data/mesh',
        message: expect.stringMatching(
          /^The mesh config in ConfigMap istio-system\/istio data\.mesh is one the mesh rejects \(line 7, column 3: outboundTrafficPolicy\.mode: .*SOMETIMES.*\); validated with the mesh's defaults instead\.$/,
        ),
      }),
    ]);
    // Not half-applied: the valid proxyMetadata of the rejected document does not count either.
    expect(about(findings, 'MS0248').map(f => f.resource?.name)).toEqual([
      'orders-db',
    ]);
  });

  it("without an istio ConfigMap, the revision's (istio-<rev>) is read: the only one, else the default tag's", async () => {
    const revision = (rev: string, mesh: string) =>
      kube('POST', CONFIG_MAPS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `istio-${rev}`,
          namespace: 'istio-system',
          labels: { 'istio.io/rev': rev },
        },
        data: { mesh },
      });
    await kube('DELETE', `${CONFIG_MAPS}/istio`);
    await revision('1-30', AUTO_ALLOCATE);
    expect(about(await scan(), 'MS0248')).toEqual([]);

    // A second revision without the setting, which the default tag points at.
    await revision('1-29', 'rootNamespace: istio-system\n');
    const tag = (rev: string) => ({
      name: 'istio-revision-tag-default',
      labels: { 'istio.io/tag': 'default', 'istio.io/rev': rev },
    });
    await kube(
      'POST',
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: tag('1-29'),
        webhooks: [],
      },
    );
    expect(about(await scan(), 'MS0248')).toHaveLength(1);
    await kube(
      'PATCH',
      '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/istio-revision-tag-default',
      { metadata: tag('1-30') },
    );
    expect(about(await scan(), 'MS0248')).toEqual([]);
  });
});
