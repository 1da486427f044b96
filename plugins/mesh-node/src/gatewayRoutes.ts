import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from './kube';
import type { TopologyConfigEdge, TopologyEndpoint } from './topology';

/**
 * Shared by every reader of Gateway API-shaped routes (`gateway.networking.k8s.io` HTTPRoute and
 * GRPCRoute in the backend, Linkerd's `policy.linkerd.io` HTTPRoute in its adapter): they have
 * the same rules, matches, weights and backends.
 */

/** A parent or backend reference of a route. @public */
export interface RouteRef {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  weight?: number;
}

interface RouteSpec {
  parentRefs?: RouteRef[];
  rules?: Array<{
    matches?: Array<Record<string, any>>;
    backendRefs?: RouteRef[];
  }>;
}

/** A core Service reference (group `''`, or `core` as GAMMA examples write it). @public */
export function isServiceRef(ref: { group?: string; kind?: string }): boolean {
  return (
    ['', 'core'].includes(ref.group ?? '') &&
    (ref.kind ?? 'Service') === 'Service'
  );
}

/** The parent references of a route. @public */
export function routeParentRefs(route: KubeObject): RouteRef[] {
  return ((route.spec ?? {}) as RouteSpec).parentRefs ?? [];
}

/**
 * A one-line summary of the first match of an HTTPRoute or GRPCRoute rule, for people
 * (`path prefix /api and header x-canary=true (+1 more)`). @public
 */
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

/** Relative weights as percents of their sum; none for a lone backend. @public */
export function weightPercents(weights: number[]): Array<number | undefined> {
  if (weights.length < 2) return weights.map(() => undefined);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map(w => (sum > 0 ? Math.round((w * 100) / sum) : 0));
}

/**
 * Edges of one route: from each of `parents` to each backend Service of each rule, with the
 * rule's weights as percents (Gateway API weights are relative; default 1) and its match. Pure.
 * @public
 */
export function routeEdges(
  route: KubeObject,
  parents: TopologyEndpoint[],
  source: string,
): TopologyConfigEdge[] {
  if (!parents.length) return [];
  const namespace = route.metadata.namespace ?? 'default';
  const resource = {
    apiVersion: route.apiVersion,
    kind: route.kind,
    namespace,
    name: route.metadata.name,
  };
  const edges: TopologyConfigEdge[] = [];
  for (const rule of ((route.spec ?? {}) as RouteSpec).rules ?? []) {
    const backends = (rule.backendRefs ?? []).filter(
      b => b.name && isServiceRef(b),
    );
    const percents = weightPercents(backends.map(b => b.weight ?? 1));
    const match = routeMatchSummary(rule.matches);
    backends.forEach((backend, i) => {
      const r: TopologyEdgeRule = {
        source,
        resource,
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
  return edges;
}
