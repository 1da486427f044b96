import {
  isServiceRef,
  type KubeObject,
  routeEdges,
  routeParentRefs,
  type TopologyConfigEdge,
  type TopologyEndpoint,
} from '@meshstage/plugin-mesh-node';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The label Gateway API implementations (Istio among them) put on a Gateway's workload. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Whether an object is a Gateway API HTTPRoute or GRPCRoute. */
function isGatewayApiRoute(obj: KubeObject): boolean {
  return (
    obj.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`) &&
    (obj.kind === 'HTTPRoute' || obj.kind === 'GRPCRoute')
  );
}

/**
 * Edges of Gateway API routes: from each parent (a Gateway's workloads, or a Service for GAMMA
 * mesh routing) to each backend Service, with the rule's weights as percents and its match.
 * Pure. Routes whose parents are neither Gateways nor Services are left out.
 */
export function gatewayApiEdges(objects: KubeObject[]): TopologyConfigEdge[] {
  const edges: TopologyConfigEdge[] = [];
  for (const route of objects) {
    if (!isGatewayApiRoute(route)) continue;
    const namespace = route.metadata.namespace ?? 'default';
    const parents: TopologyEndpoint[] = [];
    for (const parent of routeParentRefs(route)) {
      if (!parent.name) continue;
      const parentNs = parent.namespace ?? namespace;
      const group = parent.group ?? GATEWAY_API_GROUP;
      const kind = parent.kind ?? 'Gateway';
      if (group === GATEWAY_API_GROUP && kind === 'Gateway') {
        parents.push({
          type: 'workloads',
          namespace: parentNs,
          selector: { [GATEWAY_NAME_LABEL]: parent.name },
          gateway: true,
        });
      } else if (isServiceRef({ group: parent.group ?? '', kind })) {
        parents.push({
          type: 'service',
          namespace: parentNs,
          name: parent.name,
        });
      }
    }
    edges.push(...routeEdges(route, parents, 'kubernetes'));
  }
  return edges;
}
