import type { TopologyEdge } from '@meshstage/plugin-mesh-common';
import type { BuiltTopology, TopologyScopeInput } from '../buildTopology';
import { refKey } from '../entities';
import type { GraphBuilder } from './GraphBuilder';
import { compareIds } from './ids';

/** The nodes in scope (cut to `limit`) and the edges between them. */
export function selectScope(
  graph: GraphBuilder,
  scope: TopologyScopeInput,
  limit: number,
): BuiltTopology {
  let chosen: string[];
  const focus = new Set<string>();
  if (scope.type === 'entity') {
    for (const id of graph.entityNodes.get(refKey(scope.entityRef)) ?? []) {
      focus.add(id);
    }
    const dist = distances(graph, [...focus], scope.depth);
    chosen = [...dist.keys()].sort(
      (a, b) =>
        dist.get(a)! - dist.get(b)! ||
        Number(focus.has(b)) - Number(focus.has(a)) ||
        compareIds(a, b),
    );
  } else {
    const inScope = new Set<string>();
    for (const node of graph.nodes.values()) {
      if (node.cluster !== scope.cluster) continue;
      if (scope.namespace && node.namespace !== scope.namespace) continue;
      inScope.add(node.id);
    }
    if (scope.namespace) {
      // Hosts outside the cluster have no namespace: those the namespace talks to belong.
      for (const acc of graph.edges.values()) {
        const { source, target } = acc.edge;
        for (const [a, b] of [
          [source, target],
          [target, source],
        ]) {
          if (
            inScope.has(a) &&
            graph.nodes.get(b)?.kind === 'external' &&
            graph.nodes.get(b)?.namespace === undefined
          ) {
            inScope.add(b);
          }
        }
      }
    }
    chosen = [...inScope].sort();
  }
  const total = chosen.length;
  const kept = new Set(chosen.slice(0, limit));
  const nodes = [...kept]
    .sort()
    .map(id =>
      focus.has(id)
        ? { ...graph.nodes.get(id)!, focus: true }
        : graph.nodes.get(id)!,
    );
  const edges: TopologyEdge[] = [];
  for (const acc of graph.edges.values()) {
    if (kept.has(acc.edge.source) && kept.has(acc.edge.target)) {
      edges.push(acc.edge);
    }
  }
  edges.sort((a, b) => compareIds(a.id, b.id));
  return {
    nodes,
    edges,
    ...(total > limit ? { truncated: { nodes: total, limit } } : {}),
  };
}

/**
 * Hops from the focus nodes over edges in both directions, up to `depth`; a Service and a
 * workload it selects are 0 hops apart (a 0-1 breadth-first search).
 */
function distances(
  graph: GraphBuilder,
  start: string[],
  depth: number,
): Map<string, number> {
  const adjacency = new Map<string, Array<[string, number]>>();
  const link = (a: string, b: string, cost: number) => {
    const list = adjacency.get(a);
    if (list) list.push([b, cost]);
    else adjacency.set(a, [[b, cost]]);
  };
  for (const [id, acc] of graph.edges) {
    const cost = graph.selectPairs.has(id) ? 0 : 1;
    link(acc.edge.source, acc.edge.target, cost);
    link(acc.edge.target, acc.edge.source, cost);
  }
  const dist = new Map<string, number>();
  // By levels: 0-cost neighbours join the level being walked, 1-cost ones the next.
  let level: string[] = [];
  for (const id of start) {
    dist.set(id, 0);
    level.push(id);
  }
  for (let d = 0; d <= depth && level.length; d++) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i++) {
      const id = level[i];
      if (dist.get(id)! < d) continue; // reached more cheaply already
      for (const [neighbour, cost] of adjacency.get(id) ?? []) {
        const nd = d + cost;
        if (nd > depth) continue;
        const known = dist.get(neighbour);
        if (known !== undefined && known <= nd) continue;
        dist.set(neighbour, nd);
        if (cost === 0) level.push(neighbour);
        else next.push(neighbour);
      }
    }
    level = next;
  }
  return dist;
}
