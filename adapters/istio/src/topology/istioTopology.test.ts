import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { parseAllDocuments } from 'yaml';
import { IstioAdapter } from '../IstioAdapter';
import {
  istioFqdn,
  istioMatchSummary,
  istioTopologyEdges,
} from './istioTopology';

function load(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS())
    .filter(Boolean);
}

const example = load(
  path.resolve(__dirname, '../../../../examples/istio/bookinfo-routing.yaml'),
);
const fixture = load(path.join(__dirname, '__fixtures__/routing.yaml'));

const vs = (name: string, namespace: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  namespace,
  name,
});

describe('istioFqdn', () => {
  it('completes hosts as Istio does', () => {
    expect(istioFqdn('reviews', 'bookinfo')).toBe(
      'reviews.bookinfo.svc.cluster.local',
    );
    expect(istioFqdn('reviews.other', 'bookinfo')).toBe(
      'reviews.other.svc.cluster.local',
    );
    expect(istioFqdn('reviews.other.svc', 'bookinfo')).toBe(
      'reviews.other.svc.cluster.local',
    );
    expect(istioFqdn('api.example.com', 'bookinfo')).toBe('api.example.com');
    expect(istioFqdn('*.example.com', 'bookinfo')).toBe('*.example.com');
  });
});

describe('istioMatchSummary', () => {
  it('sums up the first match in one line', () => {
    expect(
      istioMatchSummary([
        {
          uri: { prefix: '/api' },
          headers: { 'end-user': { exact: 'jason' } },
        },
        { uri: { exact: '/login' } },
      ]),
    ).toBe('uri prefix /api and header end-user=jason (+1 more)');
    expect(istioMatchSummary([{ sniHosts: ['a.com'] }])).toBe('sni a.com');
    expect(istioMatchSummary(undefined)).toBeUndefined();
  });
});

describe('Istio topology rules', () => {
  it('is the adapter’s topology, listing the networking.istio.io/v1 kinds', () => {
    const adapter = new IstioAdapter();
    expect(adapter.topology.resources.map(r => r.plural).sort()).toEqual([
      'destinationrules',
      'gateways',
      'serviceentries',
      'virtualservices',
    ]);
    expect(
      adapter.topology.resources.every(
        r => r.group === 'networking.istio.io' && r.version === 'v1',
      ),
    ).toBe(true);
    expect(adapter.topology.gatewaySelectors).toContainEqual({
      istio: 'ingressgateway',
    });
  });

  it('routes bookinfo: the ingress gateway to productpage, reviews to its subsets by weight', () => {
    expect(istioTopologyEdges(example)).toEqual([
      {
        from: {
          type: 'workloads',
          selector: { istio: 'ingressgateway' },
          gateway: true,
        },
        to: { type: 'host', host: 'productpage', namespace: 'bookinfo' },
        rule: {
          source: 'istio',
          resource: vs('bookinfo', 'bookinfo'),
          match: 'uri exact /productpage (+4 more)',
        },
      },
      ...[
        ['v1', 50],
        ['v2', 30],
        ['v3', 20],
      ].map(([subset, weight]) => ({
        from: { type: 'host', host: 'reviews', namespace: 'bookinfo' },
        to: {
          type: 'host',
          host: 'reviews',
          namespace: 'bookinfo',
          subsetLabels: { version: subset },
        },
        rule: {
          source: 'istio',
          resource: vs('reviews', 'bookinfo'),
          weight,
          subset,
        },
      })),
    ]);
  });

  it('reads subsets from a DestinationRule naming the host in another form, mirrors and matches', () => {
    const edges = istioTopologyEdges(fixture).filter(
      e => e.rule.resource.name === 'ratings',
    );
    const from = { type: 'host', host: 'ratings', namespace: 'shop' };
    expect(edges).toEqual([
      {
        from,
        to: {
          type: 'host',
          host: 'ratings',
          namespace: 'shop',
          subsetLabels: { version: 'v2' },
        },
        rule: {
          source: 'istio',
          resource: vs('ratings', 'shop'),
          subset: 'canary',
          match: 'header end-user=jason',
        },
      },
      {
        from,
        to: {
          type: 'host',
          host: 'ratings-shadow.shop.svc.cluster.local',
          namespace: 'shop',
        },
        rule: {
          source: 'istio',
          resource: vs('ratings', 'shop'),
          mirror: true,
          weight: 10,
          match: 'header end-user=jason',
        },
      },
      {
        from,
        to: {
          type: 'host',
          host: 'ratings.shop.svc.cluster.local',
          namespace: 'shop',
          subsetLabels: { version: 'v1' },
        },
        rule: {
          source: 'istio',
          resource: vs('ratings', 'shop'),
          subset: 'stable',
        },
      },
    ]);
  });

  it('routes from the mesh and from a Gateway in another namespace to a ServiceEntry', () => {
    const edges = istioTopologyEdges(fixture).filter(
      e => e.rule.resource.name === 'payments',
    );
    const stripe = {
      type: 'external',
      namespace: 'shop',
      name: 'stripe',
      hosts: ['stripe.example.com', '*.stripe.net'],
    };
    const rule = {
      source: 'istio',
      resource: vs('payments', 'shop'),
      match: 'port 5432',
    };
    expect(edges).toEqual([
      {
        from: {
          type: 'host',
          host: 'payments.shop.svc.cluster.local',
          namespace: 'shop',
        },
        to: stripe,
        rule,
      },
      {
        from: {
          type: 'workloads',
          selector: { istio: 'edge-gateway' },
          gateway: true,
        },
        to: stripe,
        rule,
      },
    ]);
  });

  it('makes no edge for a missing Gateway, a route without host or another mesh’s kinds; an unknown subset keeps the host', () => {
    const edges = istioTopologyEdges(fixture);
    expect(edges.filter(e => e.rule.resource.name === 'orphan')).toEqual([]);
    expect(edges.some(e => e.rule.resource.kind === 'HTTPRoute')).toBe(false);
    expect(edges.filter(e => e.rule.resource.name === 'nosubset')).toEqual([
      {
        from: { type: 'host', host: 'cart', namespace: 'shop' },
        to: { type: 'host', host: 'cart', namespace: 'shop' },
        rule: {
          source: 'istio',
          resource: vs('nosubset', 'shop'),
          subset: 'nowhere',
        },
      },
    ]);
  });
});
