import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import type {
  KubeObject,
  KubeResource,
  MeshTopologyRules,
  TopologyConfigEdge,
  TopologyEndpoint,
} from '@meshstage/plugin-mesh-node';

const GROUP = 'networking.istio.io';
const VERSION = 'v1';
const CLUSTER_DOMAIN = 'cluster.local';

/** The routing kinds Istio's graph reads (the version every supported Istio serves and stores). */
export const ISTIO_TOPOLOGY_RESOURCES: KubeResource[] = [
  { group: GROUP, version: VERSION, plural: 'virtualservices' },
  { group: GROUP, version: VERSION, plural: 'destinationrules' },
  { group: GROUP, version: VERSION, plural: 'gateways' },
  { group: GROUP, version: VERSION, plural: 'serviceentries' },
];

interface Destination {
  host?: string;
  subset?: string;
}
interface RouteDestination {
  destination?: Destination;
  weight?: number;
}
interface HttpRoute {
  match?: Array<Record<string, any>>;
  route?: RouteDestination[];
  mirror?: Destination;
  mirrorPercentage?: { value?: number };
  mirrors?: Array<{
    destination?: Destination;
    percentage?: { value?: number };
  }>;
}
interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HttpRoute[];
  tcp?: Array<{
    match?: Array<Record<string, any>>;
    route?: RouteDestination[];
  }>;
  tls?: Array<{
    match?: Array<Record<string, any>>;
    route?: RouteDestination[];
  }>;
}

const isIstio = (obj: KubeObject, kind: string) =>
  obj.kind === kind && obj.apiVersion.startsWith(`${GROUP}/`);

/**
 * A host as Istio reads it in a resource of `namespace`: short names are Services of that
 * namespace; `name.ns` and `name.ns.svc` are completed with the cluster domain.
 */
export function istioFqdn(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h.startsWith('*')) return h;
  const parts = h.split('.');
  if (parts.length === 1) return `${h}.${namespace}.svc.${CLUSTER_DOMAIN}`;
  if (parts.length === 2) return `${h}.svc.${CLUSTER_DOMAIN}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${h}.${CLUSTER_DOMAIN}`;
  return h;
}

function hostMatches(pattern: string, fqdn: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return fqdn.endsWith(pattern.slice(1));
  return pattern === fqdn;
}

/** One-line summary of the first match of an HTTP, TLS or TCP route. */
export function istioMatchSummary(
  matches: Array<Record<string, any>> | undefined,
): string | undefined {
  if (!matches?.length) return undefined;
  const m = matches[0];
  const parts: string[] = [];
  const stringMatch = (v: Record<string, string> | undefined) => {
    if (!v) return undefined;
    const [type, value] = Object.entries(v)[0] ?? [];
    return type ? `${type} ${value}` : undefined;
  };
  const uri = stringMatch(m.uri);
  if (uri) parts.push(`uri ${uri}`);
  const method = stringMatch(m.method);
  if (method) parts.push(`method ${method}`);
  const authority = stringMatch(m.authority);
  if (authority) parts.push(`authority ${authority}`);
  for (const [name, v] of Object.entries<Record<string, string>>(
    m.headers ?? {},
  )) {
    const [type, value] = Object.entries(v ?? {})[0] ?? [];
    parts.push(
      type === 'exact'
        ? `header ${name}=${value}`
        : `header ${name} ${type} ${value}`,
    );
  }
  for (const [name, v] of Object.entries<Record<string, string>>(
    m.queryParams ?? {},
  )) {
    const [type, value] = Object.entries(v ?? {})[0] ?? [];
    parts.push(`query ${name} ${type} ${value}`);
  }
  if (m.sniHosts?.length) parts.push(`sni ${m.sniHosts.join(',')}`);
  if (m.port !== undefined) parts.push(`port ${m.port}`);
  if (m.sourceLabels) {
    parts.push(
      `from ${Object.entries(m.sourceLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    );
  }
  if (!parts.length) return undefined;
  const more = matches.length > 1 ? ` (+${matches.length - 1} more)` : '';
  return `${parts.join(' and ')}${more}`;
}

/**
 * Istio's routing as topology edges. Pure.
 *
 * - VirtualService routes (`http`, `tcp`, `tls`) send from the VirtualService's hosts (for the
 *   `mesh` gateway, or when it names no gateway) or from the workloads a named Gateway selects, to
 *   each destination: its host, narrowed to a DestinationRule subset's labels, with the route's
 *   weight and match; `mirror`/`mirrors` make mirror edges.
 * - Hosts a ServiceEntry declares are the ServiceEntry's external node.
 */
export function istioTopologyEdges(
  objects: KubeObject[],
): TopologyConfigEdge[] {
  const destinationRules = objects.filter(o => isIstio(o, 'DestinationRule'));
  const gateways = new Map<string, KubeObject>();
  for (const g of objects.filter(o => isIstio(o, 'Gateway'))) {
    gateways.set(`${g.metadata.namespace ?? 'default'}/${g.metadata.name}`, g);
  }
  const serviceEntries = objects.filter(o => isIstio(o, 'ServiceEntry'));

  /** A ServiceEntry declaring this host (as written in `namespace`), as an external endpoint. */
  const serviceEntryFor = (
    host: string,
    namespace: string,
  ): TopologyEndpoint | undefined => {
    const fqdn = istioFqdn(host, namespace);
    for (const se of serviceEntries) {
      const hosts: string[] = (se.spec as any)?.hosts ?? [];
      const seNs = se.metadata.namespace ?? 'default';
      if (hosts.some(h => hostMatches(istioFqdn(h, seNs), fqdn))) {
        return {
          type: 'external',
          namespace: seNs,
          name: se.metadata.name,
          hosts,
        };
      }
    }
    return undefined;
  };

  /** The labels of a subset, from the DestinationRule for the host (own namespace first). */
  const subsetLabels = (
    host: string,
    subset: string,
    namespace: string,
  ): Record<string, string> | undefined => {
    const fqdn = istioFqdn(host, namespace);
    const candidates = destinationRules
      .filter(dr =>
        hostMatches(
          istioFqdn(
            String((dr.spec as any)?.host ?? ''),
            dr.metadata.namespace ?? 'default',
          ),
          fqdn,
        ),
      )
      .sort(
        (a, b) =>
          Number(b.metadata.namespace === namespace) -
          Number(a.metadata.namespace === namespace),
      );
    for (const dr of candidates) {
      const found = ((dr.spec as any)?.subsets ?? []).find(
        (s: { name?: string }) => s.name === subset,
      );
      if (found) return found.labels ?? {};
    }
    return undefined;
  };

  const destinationEndpoint = (
    d: Destination,
    namespace: string,
  ): TopologyEndpoint | undefined => {
    if (!d.host) return undefined;
    const external = serviceEntryFor(d.host, namespace);
    if (external) return external;
    const labels = d.subset
      ? subsetLabels(d.host, d.subset, namespace)
      : undefined;
    return {
      type: 'host',
      host: d.host,
      namespace,
      ...(labels ? { subsetLabels: labels } : {}),
    };
  };

  const edges: TopologyConfigEdge[] = [];
  for (const vs of objects.filter(o => isIstio(o, 'VirtualService'))) {
    const namespace = vs.metadata.namespace ?? 'default';
    const spec = (vs.spec ?? {}) as VirtualServiceSpec;
    const resource = {
      apiVersion: vs.apiVersion,
      kind: vs.kind,
      namespace,
      name: vs.metadata.name,
    };
    const gatewayNames = spec.gateways?.length ? spec.gateways : ['mesh'];
    const sources: TopologyEndpoint[] = [];
    for (const name of gatewayNames) {
      if (name === 'mesh') {
        for (const host of spec.hosts ?? []) {
          sources.push(
            serviceEntryFor(host, namespace) ?? {
              type: 'host',
              host,
              namespace,
            },
          );
        }
        continue;
      }
      const key = name.includes('/') ? name : `${namespace}/${name}`;
      const gateway = gateways.get(key);
      const selector = (gateway?.spec as any)?.selector as
        | Record<string, string>
        | undefined;
      if (selector && Object.keys(selector).length) {
        sources.push({ type: 'workloads', selector, gateway: true });
      }
    }
    if (!sources.length) continue;

    const push = (d: Destination | undefined, rule: TopologyEdgeRule) => {
      const to = d && destinationEndpoint(d, namespace);
      if (!to) return;
      for (const from of sources) edges.push({ from, to, rule });
    };
    const routes = [
      ...(spec.http ?? []),
      ...(spec.tls ?? []),
      ...(spec.tcp ?? []),
    ] as HttpRoute[];
    for (const route of routes) {
      const match = istioMatchSummary(route.match);
      const destinations = route.route ?? [];
      for (const r of destinations) {
        // A lone destination takes everything; a weight is shown when traffic is split.
        const weight =
          r.weight !== undefined && (destinations.length > 1 || r.weight < 100)
            ? r.weight
            : undefined;
        push(r.destination, {
          source: 'istio',
          resource,
          ...(weight !== undefined ? { weight } : {}),
          ...(r.destination?.subset ? { subset: r.destination.subset } : {}),
          ...(match ? { match } : {}),
        });
      }
      const mirrors = [
        ...(route.mirror
          ? [{ destination: route.mirror, percentage: route.mirrorPercentage }]
          : []),
        ...(route.mirrors ?? []),
      ];
      for (const m of mirrors) {
        push(m.destination, {
          source: 'istio',
          resource,
          mirror: true,
          ...(m.percentage?.value !== undefined
            ? { weight: m.percentage.value }
            : {}),
          ...(m.destination?.subset ? { subset: m.destination.subset } : {}),
          ...(match ? { match } : {}),
        });
      }
    }
  }
  return edges;
}

/** The Istio adapter's `topology`. */
export const istioTopology: MeshTopologyRules = {
  resources: ISTIO_TOPOLOGY_RESOURCES,
  edges: istioTopologyEdges,
  // The gateway charts label their pods `istio: ingressgateway` / `egressgateway`; Gateway API
  // gateways Istio deploys carry `gateway.istio.io/managed`.
  gatewaySelectors: [
    { istio: 'ingressgateway' },
    { istio: 'egressgateway' },
    { 'gateway.istio.io/managed': 'istio.io-gateway-controller' },
  ],
};
