import type {
  TopologyEdge,
  TopologyEdgeRule,
  TopologyGraph,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';

/* Bookinfo as the backend would answer for component:default/productpage at depth 2: the istio
 * ingress gateway, productpage, details, reviews v1/v2/v3 behind the reviews Service with
 * 50/30/20 weights, and ratings. */

const C = 'dev';
const pods = { total: 1, ready: 1, meshed: 1 };
const istio = { mesh: 'istio', meshVersion: '1.24.2' };

const workload = (
  name: string,
  extra: Partial<TopologyNode> = {},
): TopologyNode => ({
  id: `${C}/workload/bookinfo/${name}`,
  kind: 'workload',
  cluster: C,
  namespace: 'bookinfo',
  name,
  workloadKind: 'Deployment',
  version: name.match(/-(v\d)$/)?.[1],
  pods,
  ...istio,
  health: 'healthy',
  ...extra,
});

const service = (
  name: string,
  extra: Partial<TopologyNode> = {},
): TopologyNode => ({
  id: `${C}/service/bookinfo/${name}`,
  kind: 'service',
  cluster: C,
  namespace: 'bookinfo',
  name,
  health: 'healthy',
  entityRef: `component:default/${name}`,
  ...extra,
});

export const nodes = {
  gateway: {
    id: `${C}/gateway/istio-system/istio-ingressgateway`,
    kind: 'gateway',
    cluster: C,
    namespace: 'istio-system',
    name: 'istio-ingressgateway',
    workloadKind: 'Deployment',
    pods: { total: 1, ready: 1, meshed: 1 },
    ...istio,
    health: 'healthy',
  } as TopologyNode,
  productpageSvc: service('productpage', { focus: true }),
  productpage: workload('productpage-v1', {
    entityRef: 'component:default/productpage',
    focus: true,
  }),
  detailsSvc: service('details'),
  details: workload('details-v1', { entityRef: 'component:default/details' }),
  reviewsSvc: service('reviews'),
  reviews1: workload('reviews-v1', { entityRef: 'component:default/reviews' }),
  reviews2: workload('reviews-v2', { entityRef: 'component:default/reviews' }),
  reviews3: workload('reviews-v3', {
    entityRef: 'component:default/reviews',
    health: 'degraded',
    healthReason: '0 of 1 pods ready',
    pods: { total: 1, ready: 0, meshed: 1 },
  }),
  ratingsSvc: service('ratings'),
  ratings: workload('ratings-v1', { entityRef: 'component:default/ratings' }),
};

const vs = (
  name: string,
  extra: Partial<TopologyEdgeRule> = {},
): TopologyEdgeRule => ({
  source: 'istio',
  resource: {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    namespace: 'bookinfo',
    name,
  },
  ...extra,
});

const selector = (svc: string): TopologyEdgeRule => ({
  source: 'kubernetes',
  resource: {
    apiVersion: 'v1',
    kind: 'Service',
    namespace: 'bookinfo',
    name: svc,
  },
});

const edge = (
  from: TopologyNode,
  to: TopologyNode,
  kind: TopologyEdge['kind'],
  rules: TopologyEdgeRule[],
  extra: Partial<TopologyEdge> = {},
): TopologyEdge => ({
  id: `${from.id}->${to.id}`,
  source: from.id,
  target: to.id,
  kind,
  rules,
  health: 'healthy',
  ...extra,
});

const n = nodes;
export const edges = {
  gatewayToProductpage: edge(n.gateway, n.productpageSvc, 'routes', [
    vs('bookinfo', { match: 'uri prefix /productpage' }),
  ]),
  productpageSelects: edge(n.productpageSvc, n.productpage, 'selects', [
    selector('productpage'),
  ]),
  toDetails: edge(n.productpage, n.detailsSvc, 'routes', [vs('details')]),
  detailsSelects: edge(n.detailsSvc, n.details, 'selects', [
    selector('details'),
  ]),
  toReviews: edge(n.productpage, n.reviewsSvc, 'routes', [vs('reviews')]),
  reviewsV1: edge(n.reviewsSvc, n.reviews1, 'routes', [
    vs('reviews', { subset: 'v1', weight: 50 }),
  ]),
  reviewsV2: edge(n.reviewsSvc, n.reviews2, 'routes', [
    vs('reviews', { subset: 'v2', weight: 30 }),
  ]),
  reviewsV3: edge(
    n.reviewsSvc,
    n.reviews3,
    'routes',
    [vs('reviews', { subset: 'v3', weight: 20 })],
    { health: 'degraded' },
  ),
  v2ToRatings: edge(n.reviews2, n.ratingsSvc, 'routes', [vs('ratings')]),
  v3ToRatings: edge(n.reviews3, n.ratingsSvc, 'routes', [vs('ratings')]),
  ratingsSelects: edge(n.ratingsSvc, n.ratings, 'selects', [
    selector('ratings'),
  ]),
};

export function bookinfoGraph(
  extra: Partial<TopologyGraph> = {},
): TopologyGraph {
  return {
    scope: { entityRef: 'component:default/productpage', depth: 2 },
    nodes: Object.values(nodes),
    edges: Object.values(edges),
    traffic: { source: 'none' },
    clusterErrors: [],
    generatedAt: '2026-12-02T10:00:00.000Z',
    ...extra,
  };
}

/** The same graph with Prometheus figures on the productpage to reviews edge. */
export function bookinfoWithTraffic(): TopologyGraph {
  const g = bookinfoGraph({ traffic: { source: 'prometheus', window: '5m' } });
  g.edges = g.edges.map(e =>
    e.id === edges.toReviews.id
      ? {
          ...e,
          traffic: {
            requestsPerSecond: 12.5,
            errorRatio: 0.004,
            p50Ms: 8,
            p99Ms: 23,
          },
        }
      : e,
  );
  return g;
}

/**
 * A cluster of `namespaces` namespaces with `perNamespace` workloads each, every workload calling
 * the next one (for collapse tests).
 */
export function bigGraph(
  namespaces: number,
  perNamespace: number,
): TopologyGraph {
  const ns: TopologyNode[] = [];
  for (let i = 0; i < namespaces; i++) {
    for (let j = 0; j < perNamespace; j++) {
      ns.push({
        id: `${C}/workload/ns${i}/w${j}`,
        kind: 'workload',
        cluster: C,
        namespace: `ns${i}`,
        name: `w${i}-${j}`,
        health: j === 0 && i === 1 ? 'failing' : 'healthy',
      });
    }
  }
  const es: TopologyEdge[] = ns.slice(1).map((t, k) => ({
    id: `${ns[k].id}->${t.id}`,
    source: ns[k].id,
    target: t.id,
    kind: 'calls',
    rules: [],
    health: 'healthy',
  }));
  return {
    scope: { cluster: C },
    nodes: ns,
    edges: es,
    traffic: { source: 'none' },
    clusterErrors: [],
    generatedAt: '2026-12-02T10:00:00.000Z',
  };
}
