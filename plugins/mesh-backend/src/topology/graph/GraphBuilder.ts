import type {
  TopologyEdgeKind,
  TopologyEdgeRule,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import type { LabelIndex } from '../labelSelector';
import { type EdgeAcc, KIND_RANK, type ServiceInfo } from './types';

/**
 * Whether two rules say the same. Two adapters (or an adapter and the Gateway API rules) reading
 * the same route agree on it: the source is left out so that it counts once.
 */
function sameRule(a: TopologyEdgeRule, b: TopologyEdgeRule): boolean {
  return (
    a.resource.name === b.resource.name &&
    a.resource.kind === b.resource.kind &&
    a.resource.namespace === b.resource.namespace &&
    a.weight === b.weight &&
    a.subset === b.subset &&
    Boolean(a.mirror) === Boolean(b.mirror) &&
    a.match === b.match
  );
}

/**
 * The graph being built: nodes, edges (merged per pair of nodes) and the indexes the build
 * phases share (`clusterResources`, `ownership`, `traffic`, `selectScope`), which read and add to
 * it in that order.
 */
export class GraphBuilder {
  readonly nodes = new Map<string, TopologyNode>();
  readonly edges = new Map<string, EdgeAcc>();
  /** `service id -> workload id` pairs of a Service and a workload it selects (0 hops apart). */
  readonly selectPairs = new Set<string>();
  /** Workload id → the Services that select it. */
  readonly selectedBy = new Map<string, string[]>();
  /** `cluster/namespace/name` of a workload → its node id. */
  readonly workloadIds = new Map<string, string>();
  readonly serviceInfos = new Map<string, ServiceInfo>();
  /** Per cluster: workloads by their labels and their pod template's (ownership). */
  readonly ownerIndexes = new Map<string, LabelIndex<string>>();
  /** Entity ref key → the nodes its selector matches (every match, not only the winner's). */
  readonly entityNodes = new Map<string, string[]>();

  constructor(
    readonly adapters: MeshAdapter[],
    /** Label keys the entities' selectors look nodes up by. */
    readonly ownerKeys: ReadonlySet<string>,
  ) {}

  /** Adds an edge, or merges a kind and a rule into the pair's edge. */
  addEdge(
    source: string,
    target: string,
    kind: TopologyEdgeKind,
    rule?: TopologyEdgeRule,
  ): EdgeAcc | undefined {
    if (source === target) return undefined;
    const id = `${source}->${target}`;
    let acc = this.edges.get(id);
    if (!acc) {
      acc = {
        edge: { id, source, target, kind, rules: [], health: 'unknown' },
        rps: 0,
        errors: 0,
        hasTraffic: false,
      };
      this.edges.set(id, acc);
    } else if (KIND_RANK[kind] > KIND_RANK[acc.edge.kind]) {
      acc.edge.kind = kind;
    }
    if (rule && !acc.edge.rules.some(r => sameRule(r, rule))) {
      acc.edge.rules.push(rule);
    }
    return acc;
  }

  /** Labels a node can be owned by (a workload's own and its pod template's). */
  private readonly labelsById = new Map<
    string,
    Array<Record<string, string>>
  >();
  nodeLabels(id: string): Array<Record<string, string>> {
    return this.labelsById.get(id) ?? [];
  }

  /** Indexes a node for ownership by its label sets. */
  own(
    index: LabelIndex<string>,
    id: string,
    namespace: string,
    ...labelSets: Array<Record<string, string>>
  ) {
    index.add(id, namespace, ...labelSets);
    this.labelsById.set(id, labelSets);
  }
}
