import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import type {
  KubeObject,
  KubeResource,
  MeshTopologyRules,
  TopologyConfigEdge,
  TopologyEndpoint,
} from '@meshstage/plugin-mesh-node';

const GATEWAY_API = 'gateway.networking.k8s.io';
const POLICY = 'policy.linkerd.io';

/**
 * The routing kinds Linkerd's graph reads: its own HTTPRoute (`policy.linkerd.io/v1beta3`, the
 * stored version of the edge and stable CRDs), Gateway API's HTTPRoute and GRPCRoute (v1, which
 * Linkerd reads for mesh routing) and ServiceProfiles (`linkerd.io/v1alpha2`).
 */
export const LINKERD_TOPOLOGY_RESOURCES: KubeResource[] = [
  { group: POLICY, version: 'v1beta3', plural: 'httproutes' },
  { group: GATEWAY_API, version: 'v1', plural: 'httproutes' },
  { group: GATEWAY_API, version: 'v1', plural: 'grpcroutes' },
  { group: 'linkerd.io', version: 'v1alpha2', plural: 'serviceprofiles' },
];

interface Ref {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  weight?: number;
}

const isService = (ref: Ref) =>
  ['', 'core'].includes(ref.group ?? '') &&
  (ref.kind ?? 'Service') === 'Service';

const groupOf = (obj: KubeObject) => obj.apiVersion.split('/')[0];

/** One-line summary of a route rule's first match (path, method, headers, query). */
export function linkerdMatchSummary(
  matches: Array<Record<string, any>> | undefined,
): string | undefined {
  if (!matches?.length) return undefined;
  const m = matches[0];
  const parts: string[] = [];
  if (m.path?.value !== undefined) {
    const type = String(m.path.type ?? 'PathPrefix').replace(/^Path/, '');
    parts.push(`path ${type.toLowerCase()} ${m.path.value}`);
  }
  if (typeof m.method === 'string') parts.push(`method ${m.method}`);
  else if (m.method) {
    parts.push(
      `method ${[m.method.service, m.method.method].filter(Boolean).join('/')}`,
    );
  }
  for (const h of m.headers ?? []) parts.push(`header ${h.name}=${h.value}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name}=${q.value}`);
  if (!parts.length) return undefined;
  const more = matches.length > 1 ? ` (+${matches.length - 1} more)` : '';
  return `${parts.join(' and ')}${more}`;
}

/** Relative weights as percents of their sum; none for a lone backend. */
function percents(weights: number[]): Array<number | undefined> {
  if (weights.length < 2) return weights.map(() => undefined);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map(w => (sum > 0 ? Math.round((w * 100) / sum) : 0));
}

/** A Kubernetes quantity as ServiceProfile weights are written (`500m`, `1`, `100`). */
export function quantity(value: unknown): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(m|k)?$/.exec(String(value ?? '').trim());
  if (!m) return 0;
  const n = Number(m[1]);
  if (m[2] === 'm') return n / 1000;
  if (m[2] === 'k') return n * 1000;
  return n;
}

/** The Service a ServiceProfile is for (`<svc>.<ns>.svc.<domain>`), or undefined. */
function profileService(
  profile: KubeObject,
): { namespace: string; name: string } | undefined {
  const parts = profile.metadata.name.split('.');
  if (parts.length >= 3 && parts[2] === 'svc') {
    return { name: parts[0], namespace: parts[1] };
  }
  return undefined;
}

/**
 * Linkerd's routing as topology edges. Pure.
 *
 * - HTTPRoutes (policy.linkerd.io and Gateway API) and GRPCRoutes whose parent is a Service
 *   (GAMMA): from that Service to each backend Service, with the rule's weights in percent and its
 *   match. Routes attached to a `Server` (inbound policy) or a Gateway are not Linkerd's routing.
 * - ServiceProfile `dstOverrides` (traffic split): from the profile's Service to each authority,
 *   weighted.
 */
export function linkerdTopologyEdges(
  objects: KubeObject[],
): TopologyConfigEdge[] {
  const edges: TopologyConfigEdge[] = [];
  for (const obj of objects) {
    const namespace = obj.metadata.namespace ?? 'default';
    const resource = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      namespace,
      name: obj.metadata.name,
    };
    const group = groupOf(obj);
    const isRoute =
      (obj.kind === 'HTTPRoute' &&
        (group === POLICY || group === GATEWAY_API)) ||
      (obj.kind === 'GRPCRoute' && group === GATEWAY_API);
    if (isRoute) {
      const spec = (obj.spec ?? {}) as {
        parentRefs?: Ref[];
        rules?: Array<{
          matches?: Array<Record<string, any>>;
          backendRefs?: Ref[];
        }>;
      };
      const parents: TopologyEndpoint[] = (spec.parentRefs ?? [])
        .filter(p => p.name && p.kind === 'Service' && isService(p))
        .map(p => ({
          type: 'service',
          namespace: p.namespace ?? namespace,
          name: p.name!,
        }));
      if (!parents.length) continue;
      for (const rule of spec.rules ?? []) {
        const backends = (rule.backendRefs ?? []).filter(
          b => b.name && isService(b),
        );
        const weights = percents(backends.map(b => b.weight ?? 1));
        const match = linkerdMatchSummary(rule.matches);
        backends.forEach((backend, i) => {
          const r: TopologyEdgeRule = {
            source: 'linkerd',
            resource,
            ...(weights[i] !== undefined ? { weight: weights[i] } : {}),
            ...(match ? { match } : {}),
          };
          for (const from of parents) {
            edges.push({
              from,
              to: {
                type: 'service',
                namespace: backend.namespace ?? namespace,
                name: backend.name!,
              },
              rule: r,
            });
          }
        });
      }
    } else if (obj.kind === 'ServiceProfile' && group === 'linkerd.io') {
      const svc = profileService(obj);
      const overrides = ((obj.spec as any)?.dstOverrides ?? []) as Array<{
        authority?: string;
        weight?: unknown;
      }>;
      const targets = overrides.filter(o => o.authority);
      if (!svc || !targets.length) continue;
      const weights = percents(targets.map(o => quantity(o.weight)));
      targets.forEach((o, i) => {
        edges.push({
          from: { type: 'service', namespace: svc.namespace, name: svc.name },
          to: {
            type: 'host',
            // The authority carries a port (`web-svc-2.ns.svc.cluster.local:8080`).
            host: o.authority!.replace(/:\d+$/, ''),
            namespace: svc.namespace,
          },
          rule: {
            source: 'linkerd',
            resource,
            ...(weights[i] !== undefined ? { weight: weights[i] } : {}),
          },
        });
      });
    }
  }
  return edges;
}

/** The Linkerd adapter's `topology`. */
export const linkerdTopology: MeshTopologyRules = {
  resources: LINKERD_TOPOLOGY_RESOURCES,
  edges: linkerdTopologyEdges,
};
