import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import type {
  KubeObject,
  TopologyConfigEdge,
  TopologyEndpoint,
} from '@meshstage/plugin-mesh-node';

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** The label Gateway API implementations (Istio among them) put on a Gateway's workload. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

interface ParentRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}
interface BackendRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  weight?: number;
}
interface RouteRule {
  matches?: Array<Record<string, any>>;
  backendRefs?: BackendRef[];
}

/** Whether an object is a Gateway API HTTPRoute or GRPCRoute. */
function isGatewayApiRoute(obj: KubeObject): boolean {
  return (
    obj.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`) &&
    (obj.kind === 'HTTPRoute' || obj.kind === 'GRPCRoute')
  );
}

/** A one-line summary of the first match of an HTTPRoute or GRPCRoute rule. */
export function routeMatchSummary(
  matches: Array<Record<string, any>> | undefined,
): string | undefined {
  if (!matches?.length) return undefined;
  const m = matches[0];
  const parts: string[] = [];
  if (m.path?.value !== undefined) {
    const type = String(m.path.type ?? 'PathPrefix')
      .replace(/^Path/, '')
      .toLowerCase();
    parts.push(
      `path ${type === 'regularexpression' ? 'regex' : type} ${m.path.value}`,
    );
  }
  if (m.method && typeof m.method === 'object') {
    parts.push(
      `method ${[m.method.service, m.method.method].filter(Boolean).join('/')}`,
    );
  } else if (typeof m.method === 'string') {
    parts.push(`method ${m.method}`);
  }
  for (const h of m.headers ?? []) parts.push(`header ${h.name}=${h.value}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name}=${q.value}`);
  if (!parts.length) return undefined;
  const more = matches.length > 1 ? ` (+${matches.length - 1} more)` : '';
  return `${parts.join(' and ')}${more}`;
}

/** Percent of a rule's traffic per backend (Gateway API weights are relative; default 1). */
export function weightPercents(weights: number[]): Array<number | undefined> {
  if (weights.length < 2) return weights.map(() => undefined);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map(w => (sum > 0 ? Math.round((w * 100) / sum) : 0));
}

/** A core Service (group `''`, or `core` as GAMMA examples write it). */
function isService(ref: { group?: string; kind?: string }): boolean {
  return (
    ['', 'core'].includes(ref.group ?? '') &&
    (ref.kind ?? 'Service') === 'Service'
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
    const spec = (route.spec ?? {}) as {
      parentRefs?: ParentRef[];
      rules?: RouteRule[];
    };
    const parents: TopologyEndpoint[] = [];
    for (const parent of spec.parentRefs ?? []) {
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
      } else if (isService({ group: parent.group ?? '', kind })) {
        parents.push({
          type: 'service',
          namespace: parentNs,
          name: parent.name,
        });
      }
    }
    if (!parents.length) continue;
    for (const rule of spec.rules ?? []) {
      const backends = (rule.backendRefs ?? []).filter(
        b => b.name && isService(b),
      );
      const percents = weightPercents(backends.map(b => b.weight ?? 1));
      const match = routeMatchSummary(rule.matches);
      backends.forEach((backend, i) => {
        const r: TopologyEdgeRule = {
          source: 'kubernetes',
          resource: {
            apiVersion: route.apiVersion,
            kind: route.kind,
            namespace,
            name: route.metadata.name,
          },
          ...(percents[i] !== undefined ? { weight: percents[i] } : {}),
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
  }
  return edges;
}
