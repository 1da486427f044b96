import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { createSnapshot, objectIdentity } from '@meshstage/plugin-mesh-node';
import { entityResourceIds, qualifyHost } from './entityResources';

function obj(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  rest: Partial<KubeObject> & { labels?: Record<string, string> } = {},
): KubeObject {
  const { labels, ...others } = rest;
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace && { namespace }),
      ...(labels && { labels }),
    },
    ...others,
  } as KubeObject;
}

const deployment = obj('apps/v1', 'Deployment', 'shop', 'cart', {
  metadata: { name: 'cart', namespace: 'shop', uid: 'd1' },
  spec: {
    template: {
      metadata: { labels: { app: 'cart' } },
      spec: { containers: [] },
    },
  },
} as any);
const replicaSet = obj('apps/v1', 'ReplicaSet', 'shop', 'cart-1', {
  metadata: {
    name: 'cart-1',
    namespace: 'shop',
    uid: 'r1',
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'cart', uid: 'd1' },
    ],
  },
} as any);
const pod = obj('v1', 'Pod', 'shop', 'cart-1-x', {
  metadata: {
    name: 'cart-1-x',
    namespace: 'shop',
    labels: { app: 'cart', team: 'a' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'cart-1', uid: 'r1' },
    ],
  },
  spec: { containers: [] },
} as any);

const related = [
  obj('v1', 'Service', 'shop', 'cart', { spec: { selector: { app: 'cart' } } }),
  obj('v1', 'Namespace', undefined, 'shop'),
  obj('networking.istio.io/v1', 'VirtualService', 'web', 'edge', {
    spec: {
      hosts: ['shop.example.com'],
      http: [
        { route: [{ destination: { host: 'cart.shop.svc.cluster.local' } }] },
      ],
    },
  }),
  obj('networking.istio.io/v1', 'VirtualService', 'shop', 'cart', {
    spec: { hosts: ['cart'] },
  }),
  obj('networking.istio.io/v1', 'DestinationRule', 'shop', 'cart', {
    spec: { host: 'cart.shop' },
  }),
  obj('security.istio.io/v1', 'AuthorizationPolicy', 'shop', 'cart-readers', {
    spec: { selector: { matchLabels: { app: 'cart' } } },
  }),
  obj('security.istio.io/v1', 'PeerAuthentication', 'shop', 'namespace-wide', {
    spec: {},
  }),
  obj('networking.istio.io/v1', 'Sidecar', 'shop', 'cart', {
    spec: { workloadSelector: { labels: { team: 'a' } } },
  }),
  obj('policy.linkerd.io/v1beta3', 'Server', 'shop', 'cart-http', {
    spec: {
      podSelector: {
        matchExpressions: [{ key: 'app', operator: 'In', values: ['cart'] }],
      },
    },
  }),
  obj(
    'policy.linkerd.io/v1alpha1',
    'AuthorizationPolicy',
    'shop',
    'cart-http-policy',
    {
      spec: {
        targetRef: {
          group: 'policy.linkerd.io',
          kind: 'Server',
          name: 'cart-http',
        },
      },
    },
  ),
];
const unrelated = [
  obj('v1', 'Service', 'shop', 'orders', {
    spec: { selector: { app: 'orders' } },
  }),
  obj('v1', 'Service', 'other', 'cart', {
    spec: { selector: { app: 'cart' } },
  }),
  obj('v1', 'Namespace', undefined, 'other'),
  // A short host is relative to the resource's namespace: `cart` in `other` is other's cart.
  obj('networking.istio.io/v1', 'VirtualService', 'other', 'cart', {
    spec: { hosts: ['cart'] },
  }),
  obj('networking.istio.io/v1', 'DestinationRule', 'shop', 'orders', {
    spec: { host: 'orders' },
  }),
  obj('security.istio.io/v1', 'AuthorizationPolicy', 'shop', 'orders-readers', {
    spec: { selector: { matchLabels: { app: 'orders' } } },
  }),
  // Mesh-wide defaults in the root namespace are everyone's, not this entity's.
  obj('security.istio.io/v1', 'PeerAuthentication', 'istio-system', 'default', {
    spec: {},
  }),
  obj('security.istio.io/v1', 'AuthorizationPolicy', 'other', 'cart-readers', {
    spec: { selector: { matchLabels: { app: 'cart' } } },
  }),
  obj('policy.linkerd.io/v1beta3', 'Server', 'shop', 'orders-http', {
    spec: { podSelector: { matchLabels: { app: 'orders' } } },
  }),
  obj(
    'policy.linkerd.io/v1alpha1',
    'AuthorizationPolicy',
    'shop',
    'orders-http-policy',
    {
      spec: { targetRef: { kind: 'Server', name: 'orders-http' } },
    },
  ),
];

const idOf = (o: KubeObject) =>
  objectIdentity({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
  });

describe('entityResourceIds', () => {
  it('relates the owners of its pods, what selects or routes to them and its namespace, nothing else', () => {
    const ids = entityResourceIds(
      [pod],
      createSnapshot([deployment, replicaSet, pod, ...related, ...unrelated]),
    );
    expect([...ids].sort()).toEqual(
      [pod, replicaSet, deployment, ...related].map(idOf).sort(),
    );
  });

  it('uses own workloads’ pod templates when no pod runs', () => {
    const ids = entityResourceIds(
      [deployment],
      createSnapshot([deployment, ...related, ...unrelated]),
    );
    expect(ids).toContain(idOf(related[0]));
    expect(ids).toContain(idOf(related[5]));
    expect(ids).not.toContain(idOf(unrelated[0]));
  });
});

describe('qualifyHost', () => {
  it.each([
    ['cart', 'shop', 'cart.shop.svc.cluster.local'],
    ['cart.other', 'shop', 'cart.other.svc.cluster.local'],
    ['cart.other.svc', 'shop', 'cart.other.svc.cluster.local'],
    ['cart.other.svc.cluster.local', 'shop', 'cart.other.svc.cluster.local'],
    ['api.example.com', 'shop', 'api.example.com'],
  ])('%s from %s is %s', (host, ns, expected) => {
    expect(qualifyHost(host, ns)).toBe(expected);
  });
});
