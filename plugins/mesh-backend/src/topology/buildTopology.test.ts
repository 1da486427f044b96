import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import type {
  KubeObject,
  TopologyConfigEdge,
} from '@meshstage/plugin-mesh-node';
import {
  buildTopology,
  type BuildTopologyInput,
  hostServiceName,
} from './buildTopology';
import { topologyEntity } from './entities';
import type { TrafficEdgeSample } from './traffic/types';
import {
  app,
  deployment,
  pod,
  service,
  snapshot,
  topologyAdapter,
} from './__testUtils__/objects';

const NS = 'shop';

const rule = (name: string, extra: Partial<TopologyEdgeRule> = {}) => ({
  source: 'istio',
  resource: {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    namespace: NS,
    name,
  },
  ...extra,
});

/** An adapter whose rules return these edges whatever the objects. */
const withEdges = (edges: TopologyConfigEdge[], gatewaySelectors?: any) =>
  topologyAdapter('istio', {
    resources: [],
    edges: () => edges,
    ...(gatewaySelectors ? { gatewaySelectors } : {}),
  });

const component = (
  name: string,
  annotations: Record<string, string>,
  dependsOn: string[] = [],
) =>
  topologyEntity({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { dependsOn },
  })!;

const owned = (name: string, dependsOn: string[] = []) =>
  component(name, { 'backstage.io/kubernetes-id': name }, dependsOn);

function build(overrides: Partial<BuildTopologyInput>) {
  return buildTopology({
    snapshots: [],
    adapters: [],
    entities: [],
    scope: { type: 'cluster', cluster: 'dev' },
    limit: 2000,
    ...overrides,
  });
}

const id = (kind: string, name: string, ns: string | null = NS) =>
  `dev/${kind}/${ns ?? '-'}/${name}`;

describe('hostServiceName', () => {
  it('reads the forms a mesh accepts', () => {
    expect(hostServiceName('reviews', 'shop')).toEqual({
      namespace: 'shop',
      name: 'reviews',
    });
    for (const host of [
      'reviews.other',
      'reviews.other.svc',
      'reviews.other.svc.cluster.local',
      'Reviews.Other.svc.cluster.local.',
    ]) {
      expect(hostServiceName(host, 'shop')).toEqual({
        namespace: 'other',
        name: 'reviews',
      });
    }
    expect(hostServiceName('api.example.com', 'shop')).toBeUndefined();
    expect(hostServiceName('a.b.svc.other.domain', 'shop')).toBeUndefined();
  });
});

describe('buildTopology', () => {
  const reviews = app('reviews', NS, ['v1', 'v2', 'v3']);
  const ratings = app('ratings', NS);
  const productpage = app('productpage', NS);

  it('counts pods, meshed pods and proxy version, and rates workload and Service health', () => {
    const g = build({
      adapters: [topologyAdapter('istio')],
      snapshots: [
        snapshot('dev', [
          {
            workloads: [
              deployment('ok', NS, { app: 'ok' }, { replicas: 2 }),
              deployment('half', NS, { app: 'half' }, { replicas: 2 }),
              deployment('down', NS, { app: 'down' }, { replicas: 1 }),
              deployment('gone', NS, { app: 'gone' }, { replicas: 3 }),
              deployment('zero', NS, { app: 'zero' }, { replicas: 0 }),
            ],
            pods: [
              pod('ok-1', NS, { app: 'ok' }, { proxy: '1.30.3' }),
              pod('ok-2', NS, { app: 'ok' }),
              pod('half-1', NS, { app: 'half' }),
              pod('half-2', NS, { app: 'half' }, { ready: false }),
              pod('down-1', NS, { app: 'down' }, { ready: false }),
              // Same labels, other namespace: not the workload's.
              pod('ok-3', 'elsewhere', { app: 'ok' }),
            ],
            services: [
              service('ok', NS, { app: 'ok' }),
              service('empty', NS, { app: 'nothing' }),
              service('manual', NS, undefined),
            ],
          },
        ]),
      ],
    });
    const node = (kind: string, name: string) =>
      g.nodes.find(n => n.id === id(kind, name));
    expect(node('workload', 'ok')).toEqual({
      id: id('workload', 'ok'),
      kind: 'workload',
      cluster: 'dev',
      namespace: NS,
      name: 'ok',
      workloadKind: 'Deployment',
      mesh: 'istio',
      meshVersion: '1.30.3',
      pods: { total: 2, ready: 2, meshed: 1 },
      health: 'healthy',
    });
    expect(node('workload', 'half')).toMatchObject({
      health: 'degraded',
      healthReason: '1 of 2 pods ready',
    });
    expect(node('workload', 'down')).toMatchObject({
      health: 'failing',
      healthReason: '0 of 1 pods ready',
    });
    expect(node('workload', 'gone')).toMatchObject({
      health: 'failing',
      healthReason: 'no pods (3 desired)',
      pods: { total: 0, ready: 0, meshed: 0 },
    });
    expect(node('workload', 'zero')).toMatchObject({ health: 'healthy' });
    expect(node('service', 'ok')).toMatchObject({ health: 'healthy' });
    expect(node('service', 'empty')).toMatchObject({
      health: 'degraded',
      healthReason: 'selects no pods',
    });
    expect(node('service', 'manual')?.health).toBe('unknown');
    expect(g.edges).toEqual([
      {
        id: `${id('service', 'ok')}->${id('workload', 'ok')}`,
        source: id('service', 'ok'),
        target: id('workload', 'ok'),
        kind: 'selects',
        rules: [
          {
            source: 'kubernetes',
            resource: {
              apiVersion: 'v1',
              kind: 'Service',
              namespace: NS,
              name: 'ok',
            },
          },
        ],
        health: 'unknown',
      },
    ]);
  });

  describe('host resolution', () => {
    const resolveTo = (host: string, namespace = NS, extra: any = {}) => {
      const g = build({
        adapters: [
          withEdges([
            {
              from: { type: 'service', namespace: NS, name: 'productpage' },
              to: { type: 'host', host, namespace, ...extra },
              rule: rule('vs'),
            },
          ]),
        ],
        snapshots: [
          snapshot('dev', [
            productpage,
            reviews,
            app('reviews', 'other'),
            app('pay', 'billing'),
          ]),
        ],
      });
      return g.edges
        .filter(e => e.kind === 'routes')
        .map(e => e.target)
        .sort();
    };

    it('finds the Service of a short name in the namespace of the resource', () => {
      expect(resolveTo('reviews')).toEqual([id('service', 'reviews')]);
      expect(resolveTo('reviews', 'other')).toEqual([
        id('service', 'reviews', 'other'),
      ]);
    });

    it('finds name.ns, name.ns.svc and the FQDN in their namespace', () => {
      for (const host of [
        'reviews.other',
        'reviews.other.svc',
        'reviews.other.svc.cluster.local',
      ]) {
        expect(resolveTo(host)).toEqual([id('service', 'reviews', 'other')]);
      }
    });

    it('matches wildcards against Services, in one namespace or all', () => {
      expect(resolveTo('*.other.svc.cluster.local')).toEqual([
        id('service', 'reviews', 'other'),
      ]);
      expect(resolveTo('*.svc.cluster.local')).toEqual(
        [
          id('service', 'pay', 'billing'),
          id('service', 'reviews', 'other'),
          id('service', 'reviews'),
        ].sort(),
      );
    });

    it('makes unknown hosts external nodes', () => {
      expect(resolveTo('api.stripe.com')).toEqual([
        id('external', 'api.stripe.com', null),
      ]);
      // A short name with no Service: named by the FQDN it stands for.
      expect(resolveTo('nothing')).toEqual([
        id('external', 'nothing.shop.svc.cluster.local', null),
      ]);
      expect(resolveTo('*.example.com')).toEqual([
        id('external', '*.example.com', null),
      ]);
    });

    it('narrows a Service to the workloads of a subset', () => {
      expect(
        resolveTo('reviews', NS, { subsetLabels: { version: 'v2' } }),
      ).toEqual([id('workload', 'reviews-v2')]);
      // A subset no workload matches falls back to the Service.
      expect(
        resolveTo('reviews', NS, { subsetLabels: { version: 'v9' } }),
      ).toEqual([id('service', 'reviews')]);
    });

    it('points hosts a ServiceEntry declares at its external node', () => {
      const g = build({
        adapters: [
          withEdges([
            {
              from: { type: 'service', namespace: NS, name: 'productpage' },
              to: {
                type: 'external',
                namespace: NS,
                name: 'stripe',
                hosts: ['api.stripe.com', '*.stripe.net'],
              },
              rule: rule('to-stripe'),
            },
            {
              from: { type: 'service', namespace: NS, name: 'reviews' },
              to: { type: 'host', host: 'files.stripe.net', namespace: NS },
              rule: rule('to-files'),
            },
            {
              from: { type: 'service', namespace: NS, name: 'ratings' },
              to: { type: 'host', host: 'api.stripe.com', namespace: NS },
              rule: rule('to-api'),
            },
          ]),
        ],
        snapshots: [snapshot('dev', [productpage, reviews, ratings])],
      });
      const stripe = id('external', 'stripe');
      expect(g.nodes.find(n => n.id === stripe)).toEqual({
        id: stripe,
        kind: 'external',
        cluster: 'dev',
        namespace: NS,
        name: 'stripe',
        hosts: ['*.stripe.net', 'api.stripe.com'],
        health: 'unknown',
      });
      expect(
        g.edges
          .filter(e => e.target === stripe)
          .map(e => e.source)
          .sort(),
      ).toEqual(
        [
          id('service', 'productpage'),
          id('service', 'ratings'),
          id('service', 'reviews'),
        ].sort(),
      );
    });
  });

  it('keeps one edge per pair, with every rule once, routes winning over selects', () => {
    const subset = (v: string, weight: number) => ({
      from: { type: 'host' as const, host: 'reviews', namespace: NS },
      to: {
        type: 'host' as const,
        host: 'reviews',
        namespace: NS,
        subsetLabels: { version: v },
      },
      rule: rule('reviews', { subset: v, weight }),
    });
    const edges = [subset('v1', 50), subset('v2', 50)];
    const g = build({
      // The same edges twice (as two adapters reading one route would): counted once.
      adapters: [withEdges(edges), withEdges(edges)],
      snapshots: [snapshot('dev', [reviews])],
    });
    const v1 = g.edges.find(e => e.target === id('workload', 'reviews-v1'))!;
    expect(v1.kind).toBe('routes');
    expect(v1.rules).toEqual([
      expect.objectContaining({ source: 'kubernetes' }),
      rule('reviews', { subset: 'v1', weight: 50 }),
    ]);
    const v3 = g.edges.find(e => e.target === id('workload', 'reviews-v3'))!;
    expect(v3.kind).toBe('selects');
  });

  describe('Gateway API routes', () => {
    const route = (parentRefs: any[], backendRefs: any[]): KubeObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: NS },
      spec: {
        parentRefs,
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
            backendRefs,
          },
        ],
      },
    });

    it('routes from a Gateway’s workload to the backends, with weights in percent', () => {
      const gw = deployment('web-istio', NS, {
        'gateway.networking.k8s.io/gateway-name': 'web',
      });
      const g = build({
        snapshots: [
          snapshot('dev', [
            reviews,
            ratings,
            { workloads: [gw] },
            {
              routing: [
                route(
                  [{ name: 'web' }],
                  [
                    { name: 'reviews', weight: 3 },
                    { name: 'ratings', weight: 1 },
                  ],
                ),
              ],
            },
          ]),
        ],
      });
      expect(g.nodes.find(n => n.name === 'web-istio')?.kind).toBe('gateway');
      const routes = g.edges.filter(e => e.kind === 'routes');
      expect(routes.map(e => [e.source, e.target, e.rules[0].weight])).toEqual([
        [id('gateway', 'web-istio'), id('service', 'ratings'), 25],
        [id('gateway', 'web-istio'), id('service', 'reviews'), 75],
      ]);
      expect(routes[0].rules[0]).toEqual({
        source: 'kubernetes',
        resource: {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          namespace: NS,
          name: 'r',
        },
        weight: 25,
        match: 'path prefix /api',
      });
    });

    it('shows a Gateway without workload as a gateway node of its own', () => {
      const g = build({
        snapshots: [
          snapshot('dev', [
            reviews,
            {
              routing: [
                {
                  apiVersion: 'gateway.networking.k8s.io/v1',
                  kind: 'Gateway',
                  metadata: { name: 'web', namespace: NS },
                  spec: {},
                },
                route([{ name: 'web' }], [{ name: 'reviews' }]),
              ],
            },
          ]),
        ],
      });
      expect(g.nodes.find(n => n.id === id('gateway', 'web'))).toMatchObject({
        health: 'unknown',
        healthReason: expect.stringContaining('gateway-name=web'),
      });
      expect(g.edges.find(e => e.source === id('gateway', 'web'))?.target).toBe(
        id('service', 'reviews'),
      );
    });

    it('routes from a parent Service to the backends (GAMMA); other parents are ignored', () => {
      const g = build({
        snapshots: [
          snapshot('dev', [
            reviews,
            app('reviews-canary', NS),
            {
              routing: [
                route(
                  [{ group: '', kind: 'Service', name: 'reviews' }],
                  [
                    { name: 'reviews', weight: 90 },
                    { name: 'reviews-canary', weight: 10 },
                  ],
                ),
                route(
                  [{ group: 'policy.linkerd.io', kind: 'Server', name: 'x' }],
                  [{ name: 'reviews' }],
                ),
              ],
            },
          ]),
        ],
      });
      expect(
        g.edges
          .filter(e => e.kind === 'routes')
          .map(e => [e.source, e.target, e.rules[0].weight]),
      ).toEqual([
        [id('service', 'reviews'), id('service', 'reviews-canary'), 10],
      ]);
    });
  });

  it('makes gateway nodes of workloads an adapter’s gateway selectors or gateway endpoints name', () => {
    const ingress = deployment('istio-ingressgateway', 'istio-system', {
      app: 'istio-ingressgateway',
      istio: 'ingressgateway',
    });
    const custom = deployment('edge', 'istio-system', { app: 'edge' });
    const g = build({
      adapters: [
        withEdges(
          [
            {
              from: {
                type: 'workloads',
                selector: { app: 'edge' },
                gateway: true,
              },
              to: { type: 'host', host: 'productpage', namespace: NS },
              rule: rule('productpage'),
            },
          ],
          [{ istio: 'ingressgateway' }],
        ),
      ],
      snapshots: [
        snapshot('dev', [productpage, { workloads: [ingress, custom] }]),
      ],
    });
    expect(g.nodes.filter(n => n.kind === 'gateway').map(n => n.id)).toEqual([
      'dev/gateway/istio-system/edge',
      'dev/gateway/istio-system/istio-ingressgateway',
    ]);
    expect(g.edges.map(e => e.id)).toContain(
      `dev/gateway/istio-system/edge->${id('service', 'productpage')}`,
    );
  });

  describe('entities', () => {
    const bookinfo = snapshot('dev', [
      productpage,
      reviews,
      ratings,
      app('details', NS),
    ]);
    const entities = [
      owned('productpage', ['component:default/reviews', 'component:details']),
      owned('reviews', ['component:ratings']),
      owned('ratings'),
      owned('details'),
    ];

    it('ties nodes to their entity and draws dependsOn from workloads to the dependency’s Service', () => {
      const g = build({ snapshots: [bookinfo], entities });
      expect(
        g.nodes.find(n => n.id === id('workload', 'reviews-v2'))?.entityRef,
      ).toBe('component:default/reviews');
      expect(
        g.nodes.find(n => n.id === id('service', 'reviews'))?.entityRef,
      ).toBe('component:default/reviews');
      const declared = g.edges.filter(e => e.kind === 'declared');
      expect(declared.map(e => e.id).sort()).toEqual(
        [
          `${id('workload', 'productpage-v1')}->${id('service', 'details')}`,
          `${id('workload', 'productpage-v1')}->${id('service', 'reviews')}`,
          `${id('workload', 'reviews-v1')}->${id('service', 'ratings')}`,
          `${id('workload', 'reviews-v2')}->${id('service', 'ratings')}`,
          `${id('workload', 'reviews-v3')}->${id('service', 'ratings')}`,
        ].sort(),
      );
      expect(declared[0].rules).toEqual([
        {
          source: 'catalog',
          resource: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            namespace: 'default',
            name: 'productpage',
          },
        },
      ]);
    });

    it('honours the label-selector and namespace annotations', () => {
      const g = build({
        snapshots: [snapshot('dev', [reviews, app('reviews', 'other')])],
        entities: [
          component('old-reviews', {
            'backstage.io/kubernetes-label-selector':
              'app=reviews,version in (v1,v2)',
            'backstage.io/kubernetes-namespace': NS,
          }),
        ],
      });
      expect(g.nodes.filter(n => n.entityRef).map(n => n.id)).toEqual([
        id('workload', 'reviews-v1'),
        id('workload', 'reviews-v2'),
      ]);
    });

    it('walks depth hops both ways from the entity; a Service and its workloads are 0 hops apart', () => {
      const names = (depth: number) =>
        build({
          snapshots: [bookinfo],
          entities,
          scope: {
            type: 'entity',
            entityRef: 'component:default/reviews',
            depth,
          },
        })
          .nodes.map(n => `${n.name}${n.focus ? '*' : ''}`)
          .sort();
      expect(names(0)).toEqual(
        ['reviews*', 'reviews-v1*', 'reviews-v2*', 'reviews-v3*'].sort(),
      );
      // Callers (productpage) and callees (ratings) one hop out, with their Services.
      expect(names(1)).toEqual(
        [
          'productpage',
          'productpage-v1',
          'ratings',
          'ratings-v1',
          'reviews*',
          'reviews-v1*',
          'reviews-v2*',
          'reviews-v3*',
        ].sort(),
      );
      // details is 2 hops out, through productpage.
      expect(names(2)).toEqual(
        [
          'details',
          'details-v1',
          'productpage',
          'productpage-v1',
          'ratings',
          'ratings-v1',
          'reviews*',
          'reviews-v1*',
          'reviews-v2*',
          'reviews-v3*',
        ].sort(),
      );
    });

    it('cuts to the limit, nearest nodes first, and says so', () => {
      const g = build({
        snapshots: [bookinfo],
        entities,
        scope: {
          type: 'entity',
          entityRef: 'component:default/reviews',
          depth: 2,
        },
        limit: 5,
      });
      expect(g.truncated).toEqual({ nodes: 10, limit: 5 });
      expect(g.nodes).toHaveLength(5);
      expect(g.nodes.filter(n => n.focus)).toHaveLength(4);
      expect(
        g.edges.every(
          e =>
            g.nodes.some(n => n.id === e.source) &&
            g.nodes.some(n => n.id === e.target),
        ),
      ).toBe(true);
    });

    it('keeps to a cluster and namespace in cluster scope', () => {
      const g = build({
        snapshots: [
          bookinfo,
          snapshot('prod', [reviews]),
          snapshot('dev', [app('pay', 'billing')]),
        ],
        scope: { type: 'cluster', cluster: 'dev', namespace: 'billing' },
      });
      expect(g.nodes.map(n => n.id)).toEqual([
        'dev/service/billing/pay',
        'dev/workload/billing/pay-v1',
      ]);
      expect(g.truncated).toBeUndefined();
    });
  });

  describe('traffic', () => {
    const sample = (
      from: string,
      to: string,
      rps: number,
      errorRatio = 0,
      extra: Partial<TrafficEdgeSample> = {},
    ): TrafficEdgeSample => ({
      mesh: 'istio',
      cluster: 'dev',
      source: { namespace: NS, workload: from },
      destination: { namespace: NS, workload: to },
      traffic: { requestsPerSecond: rps, errorRatio, p50Ms: 5, p99Ms: rps },
      ...extra,
    });
    const routing = withEdges([
      {
        from: {
          type: 'workloads',
          namespace: NS,
          selector: { app: 'productpage' },
        },
        to: { type: 'host', host: 'reviews', namespace: NS },
        rule: rule('pp'),
      },
    ]);
    const entities = [
      owned('productpage', ['component:ratings']),
      owned('ratings'),
    ];

    it('puts traffic on the configured path, summing samples that share an edge', () => {
      const g = build({
        adapters: [routing],
        snapshots: [snapshot('dev', [productpage, reviews, ratings])],
        traffic: [
          sample('productpage-v1', 'reviews-v1', 10),
          sample('productpage-v1', 'reviews-v2', 30, 0.1),
        ],
      });
      const edge = (a: string, b: string) =>
        g.edges.find(e => e.source === a && e.target === b);
      const toReviews = edge(
        id('workload', 'productpage-v1'),
        id('service', 'reviews'),
      )!;
      expect(toReviews.kind).toBe('routes');
      expect(toReviews.traffic).toEqual({
        requestsPerSecond: 40,
        errorRatio: 3 / 40,
        p50Ms: 5,
        p99Ms: 30,
      });
      expect(toReviews.health).toBe('failing');
      expect(
        edge(id('service', 'reviews'), id('workload', 'reviews-v1'))!,
      ).toMatchObject({
        kind: 'selects',
        traffic: { requestsPerSecond: 10, errorRatio: 0 },
        health: 'healthy',
      });
      expect(
        edge(id('service', 'reviews'), id('workload', 'reviews-v2'))!.traffic,
      ).toMatchObject({ requestsPerSecond: 30, errorRatio: 0.1 });
      // Without traffic an edge's health is unknown.
      expect(
        edge(id('service', 'reviews'), id('workload', 'reviews-v3'))!.health,
      ).toBe('unknown');
    });

    it('confirms a declared edge with traffic, keeping one edge and the catalog rule', () => {
      const g = build({
        snapshots: [snapshot('dev', [productpage, ratings])],
        entities,
        traffic: [sample('productpage-v1', 'ratings-v1', 2, 0.01)],
      });
      const edges = g.edges.filter(
        e => e.source === id('workload', 'productpage-v1'),
      );
      expect(edges).toEqual([
        expect.objectContaining({
          target: id('service', 'ratings'),
          kind: 'calls',
          rules: [expect.objectContaining({ source: 'catalog' })],
          traffic: expect.objectContaining({ requestsPerSecond: 2 }),
          health: 'degraded',
        }),
      ]);
    });

    it('adds calls edges where no configuration names the pair', () => {
      const g = build({
        snapshots: [snapshot('dev', [productpage, reviews, ratings])],
        traffic: [
          sample('productpage-v1', 'ratings-v1', 1, 0, {
            destinationService: 'ratings',
          }),
          sample('reviews-v2', 'ratings-v1', 1),
          sample('unknown', 'ratings-v1', 1),
        ],
      });
      const calls = g.edges.filter(e => e.kind === 'calls').map(e => e.id);
      expect(calls.sort()).toEqual(
        [
          `${id('workload', 'productpage-v1')}->${id('service', 'ratings')}`,
          `${id('workload', 'reviews-v2')}->${id('workload', 'ratings-v1')}`,
        ].sort(),
      );
      // The Service hop of the first sample carries it too.
      expect(
        g.edges.find(
          e =>
            e.id ===
            `${id('service', 'ratings')}->${id('workload', 'ratings-v1')}`,
        )?.traffic?.requestsPerSecond,
      ).toBe(1);
    });
  });

  it('builds 1,000 workloads and 3,000 edges without quadratic work', () => {
    // Not a timing assertion: the benchmark (bench/topology-build.mjs) measures. This checks the
    // shape at that size.
    const parts = [];
    const edges: TopologyConfigEdge[] = [];
    for (let i = 0; i < 1000; i++) {
      const ns = `ns-${i % 20}`;
      parts.push(app(`svc-${i}`, ns));
      for (const k of [1, 2]) {
        edges.push({
          from: { type: 'service', namespace: ns, name: `svc-${i}` },
          to: {
            type: 'host',
            host: `svc-${(i + k) % 1000}.ns-${(i + k) % 20}`,
            namespace: ns,
          },
          rule: rule(`vs-${i}`),
        });
      }
    }
    const g = build({
      adapters: [withEdges(edges)],
      snapshots: [snapshot('dev', parts)],
    });
    expect(g.nodes).toHaveLength(2000);
    expect(g.edges).toHaveLength(3000);
  });
});
