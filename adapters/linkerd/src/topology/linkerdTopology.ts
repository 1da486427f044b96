import {
  isServiceRef,
  type KubeObject,
  type KubeResource,
  type MeshTopologyRules,
  routeEdges,
  routeParentRefs,
  type TopologyConfigEdge,
  type TopologyEndpoint,
  weightPercents,
} from '@meshstage/plugin-mesh-node';

const POLICY = 'policy.linkerd.io';

/**
 * The routing kinds Linkerd's graph reads: its own HTTPRoute (`policy.linkerd.io/v1beta3`, the
 * stored version of the edge and stable CRDs) and ServiceProfiles (`linkerd.io/v1alpha2`).
 * Gateway API's HTTPRoute and GRPCRoute, which Linkerd also reads for mesh routing (GAMMA), are
 * read for every mesh by the backend's own Gateway API rules.
 */
export const LINKERD_TOPOLOGY_RESOURCES: KubeResource[] = [
  { group: POLICY, version: 'v1beta3', plural: 'httproutes' },
  { group: 'linkerd.io', version: 'v1alpha2', plural: 'serviceprofiles' },
];

const groupOf = (obj: KubeObject) => obj.apiVersion.split('/')[0];

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
 * - `policy.linkerd.io` HTTPRoutes whose parent is a Service: from that Service to each backend
 *   Service, with the rule's weights in percent and its match. Routes attached to a `Server`
 *   (inbound policy) are not routing.
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
    if (obj.kind === 'HTTPRoute' && group === POLICY) {
      const parents: TopologyEndpoint[] = routeParentRefs(obj)
        .filter(p => p.name && p.kind === 'Service' && isServiceRef(p))
        .map(p => ({
          type: 'service',
          namespace: p.namespace ?? namespace,
          name: p.name!,
        }));
      edges.push(...routeEdges(obj, parents, 'linkerd'));
    } else if (obj.kind === 'ServiceProfile' && group === 'linkerd.io') {
      const svc = profileService(obj);
      const overrides = ((obj.spec as any)?.dstOverrides ?? []) as Array<{
        authority?: string;
        weight?: unknown;
      }>;
      const targets = overrides.filter(o => o.authority);
      if (!svc || !targets.length) continue;
      const weights = weightPercents(targets.map(o => quantity(o.weight)));
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
