import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import type {
  EntityMeshStatus,
  MeshClusterInfo,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import istioModule, {
  IstioAdapter,
} from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule, {
  LinkerdAdapter,
} from '@meshstage/plugin-mesh-backend-module-linkerd';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import {
  createTestObjects,
  deleteTestPods,
  eventually,
  patchTestNamespace,
} from '@meshstage/plugin-mesh-node';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';

const EXAMPLE_CLUSTER = path.resolve(__dirname, '../../../../examples/cluster');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const istioControlPlane = require('./__fixtures__/istio-control-plane.yaml');

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

const entities: Entity[] = [
  component('productpage', {
    'backstage.io/kubernetes-id': 'productpage',
    'backstage.io/kubernetes-namespace': 'bookinfo',
    'meshstage.io/mesh': 'istio',
  }),
  component('pinned', {
    'backstage.io/kubernetes-id': 'details',
    'meshstage.io/cluster': 'elsewhere',
  }),
  component('website', {}),
];

/** A port nothing listens on: connections are refused at once. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function clusterConfig(
  clusters: Array<{ name: string; url: string; token?: string }>,
  clusterTimeout?: unknown,
) {
  return mockServices.rootConfig.factory({
    data: {
      // The adapters' built-in renderers: no chart repository is read (the charts tests cover it).
      mesh: {
        ...(clusterTimeout ? { clusterTimeout } : {}),
        charts: { source: 'builtin' },
      },
      ...kubernetesClustersConfig(clusters),
    },
  });
}

const meshModules = [istioModule, linkerdModule];

// A simulated cluster, a backend and rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(90_000);

describe('mesh backend against a simulated cluster', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;
  let downUrl: string;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
    downUrl = await closedPortUrl();
    backend = await startTestBackend({
      features: [
        meshPlugin,
        ...meshModules,
        clusterConfig([
          { name: 'dev', url: sim.url, token: sim.token },
          { name: 'down', url: downUrl },
        ]),
        catalogServiceMock.factory({ entities }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  const get = (p: string) => request(backend.server).get(`/api/mesh${p}`);

  it('answers health checks without credentials', async () => {
    const res = await get('/health').set(
      'Authorization',
      mockCredentials.none.header(),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('requires credentials everywhere else', async () => {
    const res = await get('/adapters').set(
      'Authorization',
      mockCredentials.none.header(),
    );
    expect(res.status).toBe(401);
  });

  it('lists the registered adapters sorted by id', async () => {
    const res = await get('/adapters');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: 'istio',
          displayName: 'Istio',
          supportedVersions: new IstioAdapter().supportedVersions(),
          versions: new IstioAdapter()
            .supportedVersions()
            .map(version => ({ version, source: 'builtin' })),
          charts: { source: 'builtin' },
          lifecycle: true,
          sampleApps: [
            expect.objectContaining({
              id: 'bookinfo',
              defaultNamespace: 'bookinfo-sample',
            }),
            expect.objectContaining({ id: 'echo', defaultNamespace: 'echo' }),
          ],
        },
        {
          id: 'linkerd',
          displayName: 'Linkerd',
          supportedVersions: new LinkerdAdapter().supportedVersions(),
          versions: new LinkerdAdapter()
            .supportedVersions()
            .map(version => ({ version, source: 'builtin' })),
          charts: { source: 'builtin' },
          lifecycle: true,
          sampleApps: [
            expect.objectContaining({ id: 'emojivoto' }),
            expect.objectContaining({ id: 'echo' }),
          ],
        },
      ],
    });
  });

  it('lists clusters: the simulator reachable with its version and what its view holds, a dead one with its error', async () => {
    // A status read makes each cluster's view watch the types the adapters read.
    expect((await get('/status')).status).toBe(200);
    const res = await get('/clusters');
    expect(res.status).toBe(200);
    const items: MeshClusterInfo[] = res.body.items;
    expect(items).toEqual([
      {
        name: 'dev',
        url: sim.url,
        reachable: true,
        serverVersion: expect.stringMatching(/^v1\.\d+\.\d+/),
        view: {
          objects: expect.any(Number),
          bytes: expect.any(Number),
          resources: expect.arrayContaining([
            expect.objectContaining({
              resource: 'pods.v1',
              state: 'synced',
              relists: 1,
            }),
          ]),
        },
      },
      {
        name: 'down',
        url: downUrl,
        reachable: false,
        error: expect.stringMatching(/ECONNREFUSED/),
        view: expect.objectContaining({
          objects: 0,
          resources: expect.arrayContaining([
            expect.objectContaining({
              state: 'failed',
              error: expect.stringMatching(/ECONNREFUSED/),
            }),
          ]),
        }),
      },
    ]);
    expect(items[0].view!.objects).toBeGreaterThan(0);
  });

  it('rejects unknown clusters and meshes, naming the parameter', async () => {
    const cluster = await get('/status?cluster=nope');
    expect(cluster.status).toBe(400);
    expect(cluster.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining("'cluster'"),
    });
    expect(cluster.body.error.message).toContain('dev, down');

    const mesh = await get('/status?mesh=cilium');
    expect(mesh.status).toBe(400);
    expect(mesh.body.error.message).toContain("'mesh'");
    expect(mesh.body.error.message).toContain('istio, linkerd');

    const repeated = await get('/status?mesh=istio&mesh=linkerd');
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.message).toContain("'mesh'");
  });

  it('reports a dead cluster per mesh without failing the request', async () => {
    const res = await get('/status');
    expect(res.status).toBe(200);
    const items: MeshStatus[] = res.body.items;
    expect(items.map(i => [i.cluster, i.mesh])).toEqual([
      ['dev', 'istio'],
      ['dev', 'linkerd'],
      ['down', 'istio'],
      ['down', 'linkerd'],
    ]);
    expect(items.filter(i => i.cluster === 'dev').every(i => !i.error)).toBe(
      true,
    );
    for (const item of items.filter(i => i.cluster === 'down')) {
      expect(item).toMatchObject({
        installed: false,
        error: expect.stringMatching(/ECONNREFUSED/),
      });
    }
  });

  it('reports an entity without Kubernetes annotations as a bad request naming the annotation', async () => {
    const res = await get('/entity/component/default/website/status');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('backstage.io/kubernetes-id');
  });

  it('reports a missing entity as not found', async () => {
    const res = await get('/entity/component/default/nope/status');
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('reports a cluster named by meshstage.io/cluster but not configured', async () => {
    const res = await get('/entity/component/default/pinned/status');
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([
      {
        cluster: 'elsewhere',
        pods: [],
        meshedPods: 0,
        error: expect.stringContaining('meshstage.io/cluster'),
      },
    ]);
  });

  // The following steps build on each other, as an operator would: install istiod, then onboard
  // bookinfo and restart its pods.
  describe('onboarding bookinfo to Istio', () => {
    const istioOnDev = async (): Promise<MeshStatus> => {
      const res = await get('/status?cluster=dev&mesh=istio');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      return res.body.items[0];
    };
    const productpage = async (): Promise<EntityMeshStatus> => {
      const res = await get('/entity/component/default/productpage/status');
      expect(res.status).toBe(200);
      return res.body;
    };

    it('reports Istio as not installed before istiod exists', async () => {
      expect(await istioOnDev()).toEqual({
        mesh: 'istio',
        cluster: 'dev',
        installed: false,
        versions: [],
        revisions: [],
        components: [],
        namespaces: [],
      });
    });

    it('shows productpage pods outside the mesh while istio is desired', async () => {
      const status = await productpage();
      expect(status).toMatchObject({
        entityRef: 'component:default/productpage',
        desiredMesh: 'istio',
        labelSelector: 'backstage.io/kubernetes-id=productpage',
        runningMeshes: [],
      });
      const dev = status.clusters.find(c => c.cluster === 'dev')!;
      expect(dev.error).toBeUndefined();
      expect(dev.pods.length).toBeGreaterThan(0);
      expect(dev.meshedPods).toBe(0);
      for (const pod of dev.pods) {
        expect(pod.namespace).toBe('bookinfo');
        expect(pod.mesh).toBeUndefined();
        expect(pod.containers.every(c => !c.proxy)).toBe(true);
      }
      // The dead cluster shows up with its error, next to the working one.
      expect(status.clusters.find(c => c.cluster === 'down')?.error).toMatch(
        /ECONNREFUSED/,
      );
    });

    it('reports istiod once it is created: version, revision and health', async () => {
      await createTestObjects(sim, istioControlPlane.items);
      const status = await eventually(async () => {
        const s = await istioOnDev();
        return s.components[0]?.healthy ? s : undefined;
      });
      expect(status).toEqual({
        mesh: 'istio',
        cluster: 'dev',
        installed: true,
        versions: ['1.24.2'],
        revisions: ['default'],
        components: [
          {
            name: 'istiod',
            namespace: 'istio-system',
            version: '1.24.2',
            revision: 'default',
            replicas: 1,
            readyReplicas: 1,
            healthy: true,
          },
        ],
        namespaces: [],
        mtls: {
          mode: 'PERMISSIVE',
          source:
            'Istio default (no mesh-wide PeerAuthentication in istio-system)',
        },
        revisionTags: [],
      });
    });

    it('shows sidecars in productpage pods after the namespace is labelled and pods recreated', async () => {
      await patchTestNamespace(sim, 'bookinfo', {
        labels: { 'istio-injection': 'enabled' },
      });
      await deleteTestPods(
        sim,
        'bookinfo',
        'backstage.io/kubernetes-id=productpage',
      );

      const status = await eventually(async () => {
        const s = await productpage();
        const dev = s.clusters.find(c => c.cluster === 'dev')!;
        return dev.pods.length > 0 && dev.meshedPods === dev.pods.length
          ? s
          : undefined;
      });
      expect(status.runningMeshes).toEqual(['istio']);
      const pod = status.clusters.find(c => c.cluster === 'dev')!.pods[0];
      expect(pod).toMatchObject({ mesh: 'istio', proxyVersion: '1.24.2' });
      expect(pod.containers).toContainEqual({
        name: 'istio-proxy',
        image: 'docker.io/istio/proxyv2:1.24.2',
        proxy: true,
      });
      expect(pod.containers).toContainEqual(
        expect.objectContaining({ name: 'productpage', proxy: false }),
      );

      const mesh = await istioOnDev();
      expect(mesh.namespaces).toContainEqual(
        expect.objectContaining({
          name: 'bookinfo',
          injectionEnabled: true,
          revision: 'default',
          meshedPods: expect.any(Number),
        }),
      );
      expect(
        mesh.namespaces.find(n => n.name === 'bookinfo')!.meshedPods,
      ).toBeGreaterThan(0);
    });
  });
});
