import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import type {
  TopologyEdge,
  TopologyGraph,
} from '@meshstage/plugin-mesh-common';
import { eventually } from '@meshstage/plugin-mesh-node';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { meshPlugin } from '../plugin';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

// The example catalog (bookinfo's Components with their dependsOn) and one Component without the
// Kubernetes annotations.
const entities: Entity[] = [
  ...parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLES, 'entities.yaml'), 'utf8'),
  )
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Component'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'website', namespace: 'default' },
    spec: { type: 'website', owner: 'guests', lifecycle: 'production' },
  },
];

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

// A simulated cluster and a backend: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

describe('GET /topology against a simulated cluster with bookinfo and its Istio routing', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;

  beforeAll(async () => {
    // bookinfo, Istio's routing CRDs and ingress gateway, then the routing example.
    sim = await startKubeSim({
      seed: [
        path.join(EXAMPLES, 'cluster'),
        path.join(__dirname, '__fixtures__/cluster'),
        path.join(EXAMPLES, 'istio'),
      ],
    });
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        linkerdModule,
        mockServices.rootConfig.factory({
          data: {
            mesh: { charts: { source: 'builtin' } },
            ...kubernetesClustersConfig([
              { name: 'dev', url: sim.url, token: sim.token },
              { name: 'down', url: await closedPortUrl() },
            ]),
          },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.close();
  });

  const get = (query: string) =>
    request(backend.server).get(`/api/mesh/topology${query}`);

  /** The graph once every bookinfo workload has its pod (the simulator's controllers make them). */
  async function graph(query: string): Promise<TopologyGraph> {
    return eventually(async () => {
      const res = await get(query);
      expect(res.status).toBe(200);
      const g: TopologyGraph = res.body;
      const workloads = g.nodes.filter(
        n => n.namespace === 'bookinfo' && n.pods,
      );
      return workloads.length > 0 &&
        workloads.every(n => n.pods!.total > 0 && n.pods!.ready > 0)
        ? g
        : undefined;
    });
  }

  const names = (g: TopologyGraph) =>
    g.nodes.map(n => `${n.kind}:${n.namespace ?? '-'}/${n.name}`).sort();
  const edge = (g: TopologyGraph, from: string, to: string) =>
    g.edges.find(
      e => e.source === `dev/${from}` && e.target === `dev/${to}`,
    ) as TopologyEdge;

  it('draws productpage with its neighbours one hop out: details, reviews v1-v3 by weight, the ingress gateway', async () => {
    const g = await graph('?entity=component:default/productpage');
    expect(g.scope).toEqual({
      entityRef: 'component:default/productpage',
      depth: 1,
    });
    expect(names(g)).toEqual([
      'gateway:istio-system/istio-ingressgateway',
      'service:bookinfo/details',
      'service:bookinfo/productpage',
      'service:bookinfo/reviews',
      'workload:bookinfo/details-v1',
      'workload:bookinfo/productpage-v1',
      'workload:bookinfo/reviews-v1',
      'workload:bookinfo/reviews-v2',
      'workload:bookinfo/reviews-v3',
    ]);
    expect(
      g.nodes
        .filter(n => n.focus)
        .map(n => n.name)
        .sort(),
    ).toEqual(['productpage', 'productpage-v1']);
    expect(g.nodes.find(n => n.name === 'reviews-v2')).toMatchObject({
      kind: 'workload',
      workloadKind: 'Deployment',
      version: 'v2',
      entityRef: 'component:default/reviews',
      pods: { total: 1, ready: 1, meshed: 0 },
      health: 'healthy',
    });
    expect(g.traffic).toEqual({ source: 'none' });
    // The dead cluster is named, not fatal.
    expect(g.clusterErrors).toEqual([
      { cluster: 'down', message: expect.stringMatching(/ECONNREFUSED/) },
    ]);

    // The ingress gateway routes to productpage (the bookinfo VirtualService through its Gateway).
    expect(
      edge(
        g,
        'gateway/istio-system/istio-ingressgateway',
        'service/bookinfo/productpage',
      ),
    ).toMatchObject({
      kind: 'routes',
      rules: [
        {
          source: 'istio',
          resource: {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            namespace: 'bookinfo',
            name: 'bookinfo',
          },
          match: 'uri exact /productpage (+4 more)',
        },
      ],
      health: 'unknown',
    });
    // reviews splits 50/30/20 over its subsets.
    for (const [v, weight] of [
      ['v1', 50],
      ['v2', 30],
      ['v3', 20],
    ] as const) {
      const e = edge(
        g,
        'service/bookinfo/reviews',
        `workload/bookinfo/reviews-${v}`,
      );
      expect(e.kind).toBe('routes');
      expect(e.rules).toContainEqual({
        source: 'istio',
        resource: expect.objectContaining({
          kind: 'VirtualService',
          name: 'reviews',
        }),
        weight,
        subset: v,
      });
      expect(e.rules).toContainEqual(
        expect.objectContaining({ source: 'kubernetes' }),
      );
    }
    // productpage's dependsOn (details, reviews) from its workload to their Services.
    for (const dep of ['details', 'reviews']) {
      expect(
        edge(g, 'workload/bookinfo/productpage-v1', `service/bookinfo/${dep}`),
      ).toMatchObject({
        kind: 'declared',
        rules: [
          expect.objectContaining({
            source: 'catalog',
            resource: expect.objectContaining({ name: 'productpage' }),
          }),
        ],
      });
    }
    expect(
      edge(g, 'service/bookinfo/details', 'workload/bookinfo/details-v1').kind,
    ).toBe('selects');
  });

  it('reaches ratings two hops out, through reviews', async () => {
    const g = await graph('?entity=component:default/productpage&depth=2');
    expect(names(g)).toEqual(
      expect.arrayContaining([
        'service:bookinfo/ratings',
        'workload:bookinfo/ratings-v1',
      ]),
    );
    for (const v of ['v1', 'v2', 'v3']) {
      expect(
        edge(g, `workload/bookinfo/reviews-${v}`, 'service/bookinfo/ratings')
          .kind,
      ).toBe('declared');
    }
  });

  it('draws a namespace of a cluster, and cuts at the limit', async () => {
    const g = await graph('?cluster=dev&namespace=bookinfo');
    expect(g.scope).toEqual({ cluster: 'dev', namespace: 'bookinfo' });
    expect(g.nodes.every(n => n.namespace === 'bookinfo')).toBe(true);
    expect(g.nodes).toHaveLength(10);
    expect(g.clusterErrors).toEqual([]);

    const cut = await get('?cluster=dev&namespace=bookinfo&limit=3');
    expect(cut.status).toBe(200);
    expect(cut.body.nodes).toHaveLength(3);
    expect(cut.body.truncated).toEqual({ nodes: 10, limit: 3 });
  });

  it('rejects bad queries naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['', "Invalid query parameter 'entity'"],
      ['?entity=component:default/productpage&cluster=dev', "'cluster'"],
      ['?entity=component:default/productpage&namespace=x', "'namespace'"],
      ['?cluster=dev&depth=2', "'depth'"],
      ['?entity=component:default/productpage&depth=6', "'depth'"],
      ['?entity=component:default/productpage&limit=5001', "'limit'"],
      ['?entity=component:default/productpage&window=5 minutes', "'window'"],
      ['?entity=productpage', "'entity'"],
      ['?cluster=dev&mesh=istio', "'(root)'"],
      ['?cluster=nope', "Unknown cluster 'nope' in query parameter 'cluster'"],
      ['?entity=component:default/website', 'backstage.io/kubernetes-id'],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.error.message).toContain(message);
    }
  });

  it('answers 404 for an entity the catalog does not have', async () => {
    const res = await get('?entity=component:default/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/nope in the catalog',
    });
  });
});
