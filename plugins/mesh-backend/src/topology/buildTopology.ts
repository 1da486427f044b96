/**
 * The topology graph builder: pure, from cluster snapshots, the adapters' edge rules, catalog
 * entities and traffic samples to the nodes and edges of one scope. The phases live in `graph/`:
 * `clusterResources` (nodes, selector and routing edges per cluster), `ownership` (catalog
 * owners, declared dependencies), `traffic` (observed traffic on the configured paths) and
 * `selectScope` (an entity's neighbourhood or a cluster/namespace, cut to the limit).
 */
import type { TopologyEdge, TopologyNode } from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import type { TrafficEdgeSample } from './traffic/types';
import type { TopologyEntity } from './entities';
import { equalityPairs } from './labelSelector';
import type { ClusterSnapshot } from './snapshot';
import { addCluster } from './graph/clusterResources';
import { GraphBuilder } from './graph/GraphBuilder';
import { addDeclaredEdges, addOwnership } from './graph/ownership';
import { selectScope } from './graph/selectScope';
import { addTraffic } from './graph/traffic';

export { CLUSTER_DOMAIN, hostServiceName, serviceFqdn } from './graph/ids';
export { FAILING_ERROR_RATIO } from './graph/traffic';

/** Hops out from the entity when the request names none. */
export const DEFAULT_DEPTH = 1;
export const MAX_DEPTH = 5;
/** Nodes per graph when the request names no limit, and the most it may ask for. */
export const DEFAULT_NODE_LIMIT = 2000;
export const MAX_NODE_LIMIT = 5000;

/** What a graph is asked for. */
export type TopologyScopeInput =
  | { type: 'entity'; entityRef: string; depth: number }
  | { type: 'cluster'; cluster: string; namespace?: string };

/** Everything the graph is built from; no I/O happens past this point. */
export interface BuildTopologyInput {
  /** The clusters that could be read. */
  snapshots: ClusterSnapshot[];
  adapters: MeshAdapter[];
  /** Catalog entities tied to workloads (ownership and `dependsOn`). */
  entities: TopologyEntity[];
  traffic?: TrafficEdgeSample[];
  scope: TopologyScopeInput;
  /** Most nodes in the answer. */
  limit: number;
}

/** The graph's nodes and edges, before the caller adds scope, traffic source and errors. */
export interface BuiltTopology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  truncated?: { nodes: number; limit: number };
}

/** Builds the graph. Pure: the same input gives the same graph (nodes and edges sorted by id). */
export function buildTopology(input: BuildTopologyInput): BuiltTopology {
  const ownerKeys = new Set<string>();
  for (const entity of input.entities) {
    for (const [key] of equalityPairs(entity.selector)) ownerKeys.add(key);
  }
  const graph = new GraphBuilder(input.adapters, ownerKeys);
  for (const snapshot of input.snapshots) addCluster(graph, snapshot);
  addOwnership(graph, input.entities);
  addDeclaredEdges(graph, input.entities);
  addTraffic(graph, input.traffic ?? []);
  return selectScope(graph, input.scope, input.limit);
}
