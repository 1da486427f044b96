import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import { requirementsMatch } from '@meshstage/plugin-mesh-node';
import { type TopologyEntity, refKey } from '../entities';
import { equalityPairs } from '../labelSelector';
import type { GraphBuilder } from './GraphBuilder';

/** Ties nodes to the entities whose label selector (and namespace, cluster) matches them. */
export function addOwnership(graph: GraphBuilder, entities: TopologyEntity[]) {
  for (const entity of entities) {
    const matched: string[] = [];
    const pairs = equalityPairs(entity.selector);
    for (const [cluster, index] of graph.ownerIndexes) {
      if (entity.cluster && entity.cluster !== cluster) continue;
      for (const id of index.candidates(entity.namespace, pairs)) {
        const labels = graph.nodeLabels(id);
        if (labels.some(l => requirementsMatch(entity.selector, l))) {
          matched.push(id);
        }
      }
    }
    const key = refKey(entity.entityRef);
    graph.entityNodes.set(key, [
      ...(graph.entityNodes.get(key) ?? []),
      ...matched,
    ]);
    for (const id of matched) {
      const node = graph.nodes.get(id)!;
      // The first entity wins a node two selectors match.
      if (!node.entityRef) node.entityRef = entity.entityRef;
    }
  }
}

/**
 * `declared` edges from the workloads of each entity to the Services of each entity it depends
 * on (to its workloads when it has no Service), within one cluster.
 */
export function addDeclaredEdges(
  graph: GraphBuilder,
  entities: TopologyEntity[],
) {
  for (const entity of entities) {
    if (!entity.dependsOn.length) continue;
    const own = graph.entityNodes.get(refKey(entity.entityRef)) ?? [];
    const callers = own
      .map(id => graph.nodes.get(id)!)
      .filter(n => n.kind === 'workload' || n.kind === 'gateway');
    if (!callers.length) continue;
    const rule: TopologyEdgeRule = {
      source: 'catalog',
      resource: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: entityKind(entity.entityRef),
        namespace: entityNamespace(entity.entityRef),
        name: entityName(entity.entityRef),
      },
    };
    for (const dep of entity.dependsOn) {
      const depNodes = (graph.entityNodes.get(refKey(dep)) ?? []).map(
        id => graph.nodes.get(id)!,
      );
      const services = depNodes.filter(n => n.kind === 'service');
      const targets = services.length
        ? services
        : depNodes.filter(n => n.kind === 'workload' || n.kind === 'gateway');
      for (const caller of callers) {
        for (const target of targets) {
          if (target.cluster !== caller.cluster) continue;
          graph.addEdge(caller.id, target.id, 'declared', rule);
        }
      }
    }
  }
}

function entityKind(ref: string): string {
  const colon = ref.indexOf(':');
  const kind = colon < 0 ? 'component' : ref.slice(0, colon);
  return kind.charAt(0).toLocaleUpperCase('en-US') + kind.slice(1);
}
function entityNamespace(ref: string): string {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  return slash < 0 ? 'default' : ref.slice(colon + 1, slash);
}
function entityName(ref: string): string {
  return ref.slice(ref.indexOf('/') + 1);
}
