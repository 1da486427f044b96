import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { MeshStatus } from '@meshstage/plugin-mesh-common';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import request from 'supertest';
import { meshPlugin } from './plugin';
import { kubernetesClustersConfig } from './__testUtils__/kubernetesConfig';

// The plugin wired into a backend, for behaviour that needs no working cluster: permission
// denial and clusters that never answer. Behaviour against a simulated cluster is covered in
// service/router.test.ts.

function clusterConfig(
  clusters: Array<{ name: string; url: string }>,
  clusterTimeout?: unknown,
) {
  return mockServices.rootConfig.factory({
    data: {
      ...(clusterTimeout ? { mesh: { clusterTimeout } } : {}),
      ...kubernetesClustersConfig(clusters),
    },
  });
}

const meshModules = [istioModule, linkerdModule];

// A backend starts in each beforeAll: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'productpage',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'productpage' },
    },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  },
];

describe('mesh backend with a cluster that never answers', () => {
  let hung: http.Server;
  let backend: TestBackend;

  beforeAll(async () => {
    // Accepts connections and never responds, like a black-holed API server.
    hung = http.createServer(() => {});
    await new Promise<void>(resolve => hung.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
    backend = await startTestBackend({
      features: [
        meshPlugin,
        ...meshModules,
        clusterConfig([{ name: 'hung', url }], { milliseconds: 500 }),
        catalogServiceMock.factory({ entities }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    hung.closeAllConnections();
    await new Promise(resolve => hung.close(resolve));
  });

  it('gives up on the cluster within mesh.clusterTimeout', async () => {
    // The cluster never answers: only the timeout can end these requests, and its errors say so.
    const clusters = await request(backend.server).get('/api/mesh/clusters');
    const status = await request(backend.server).get('/api/mesh/status');

    expect(clusters.status).toBe(200);
    expect(clusters.body.items).toEqual([
      expect.objectContaining({
        name: 'hung',
        reachable: false,
        error: "cluster 'hung' did not answer GET /version within 500 ms",
      }),
    ]);
    expect(status.status).toBe(200);
    expect(status.body.items.map((i: MeshStatus) => i.error)).toEqual([
      expect.stringContaining('within 500 ms'),
      expect.stringContaining('within 500 ms'),
    ]);
  });
});

describe('mesh backend when the permission policy denies', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        meshPlugin,
        ...meshModules,
        clusterConfig([]),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
  });

  afterAll(() => backend?.stop());

  it.each([
    '/adapters',
    '/clusters',
    '/status',
    '/entity/component/default/productpage/status',
  ])('forbids %s', async route => {
    const res = await request(backend.server).get(`/api/mesh${route}`);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('still answers health checks', async () => {
    const res = await request(backend.server).get('/api/mesh/health');
    expect(res.status).toBe(200);
  });
});
