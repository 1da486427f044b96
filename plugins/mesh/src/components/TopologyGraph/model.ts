import type {
  TopologyEdge,
  TopologyEdgeKind,
  TopologyGraph,
  TopologyHealth,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';

/**
 * The graph as shown: nodes grouped by namespace, groups collapsed into one node each, edges
 * between shown nodes merged. Pure, so it is tested without a browser and memoized by the view.
 */

/** A namespace (of one cluster) and the nodes in it. */
export interface TopologyGroup {
  /** `ns:<cluster>/<namespace>` */
  id: string;
  cluster: string;
  namespace: string;
  /** The namespace, with its cluster when the graph spans several. */
  label: string;
  nodeIds: string[];
  /** Nodes per health. */
  health: Record<TopologyHealth, number>;
  /** Holds a node of the entity the graph was asked for. */
  focus: boolean;
}

export type ViewNode =
  | { type: 'node'; id: string; node: TopologyNode; parentId?: string }
  | { type: 'group'; id: string; group: TopologyGroup }
  | { type: 'collapsed'; id: string; group: TopologyGroup };

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  /** The graph's edges this one stands for (several when a collapsed group merged them). */
  edges: TopologyEdge[];
  kind: TopologyEdgeKind;
  health: TopologyHealth;
  mirror: boolean;
  label?: string;
}

export interface TopologyView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  groups: TopologyGroup[];
  collapsed: Set<string>;
}

const HEALTH_ORDER: TopologyHealth[] = [
  'failing',
  'degraded',
  'healthy',
  'unknown',
];

/** The worse of two healths (`unknown` counts as better than a known problem). */
export function worstHealth(healths: TopologyHealth[]): TopologyHealth {
  let worst = 3;
  for (const h of healths) worst = Math.min(worst, HEALTH_ORDER.indexOf(h));
  return HEALTH_ORDER[worst];
}

export const groupIdOf = (node: TopologyNode): string | undefined =>
  node.namespace ? `ns:${node.cluster}/${node.namespace}` : undefined;

/** Namespace groups, in the order their first node appears. */
export function groupNodes(graph: TopologyGraph): TopologyGroup[] {
  const clusters = new Set(graph.nodes.map(n => n.cluster));
  const groups = new Map<string, TopologyGroup>();
  for (const node of graph.nodes) {
    const id = groupIdOf(node);
    if (!id) continue;
    let group = groups.get(id);
    if (!group) {
      group = {
        id,
        cluster: node.cluster,
        namespace: node.namespace!,
        label:
          clusters.size > 1
            ? `${node.namespace} (${node.cluster})`
            : node.namespace!,
        nodeIds: [],
        health: { failing: 0, degraded: 0, healthy: 0, unknown: 0 },
        focus: false,
      };
      groups.set(id, group);
    }
    group.nodeIds.push(node.id);
    group.health[node.health]++;
    if (node.focus) group.focus = true;
  }
  return [...groups.values()];
}

/**
 * The groups collapsed before the user touches anything: none while the graph has at most
 * `threshold` nodes; beyond it every group without a node of the entity, and if that is still too
 * many, every group.
 */
export function defaultCollapsed(
  graph: TopologyGraph,
  groups: TopologyGroup[],
  threshold: number,
): Set<string> {
  if (graph.nodes.length <= threshold) return new Set();
  const others = groups.filter(g => !g.focus);
  const shown =
    graph.nodes.length -
    others.reduce((n, g) => n + g.nodeIds.length, 0) +
    others.length;
  return new Set((shown <= threshold ? others : groups).map(g => g.id));
}

/** The groups collapsed: the default, with the user's choices (`true` = collapsed) over it. */
export function effectiveCollapsed(
  defaults: Set<string>,
  overrides: Record<string, boolean>,
): Set<string> {
  const out = new Set(defaults);
  for (const [id, collapsed] of Object.entries(overrides)) {
    if (collapsed) out.add(id);
    else out.delete(id);
  }
  return out;
}

const pct = (ratio: number) => {
  const p = ratio * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
};

const rate = (rps: number) =>
  rps >= 100 ? `${Math.round(rps)}` : `${+rps.toFixed(rps >= 10 ? 1 : 2)}`;

const ms = (v: number) => (v >= 100 ? `${Math.round(v)}` : `${+v.toFixed(1)}`);

/** "12.5 rps · 0.4% err · p99 23 ms" */
export function trafficLabel(
  traffic: TopologyEdge['traffic'],
): string | undefined {
  if (!traffic) return undefined;
  const parts = [
    `${rate(traffic.requestsPerSecond)} rps`,
    `${pct(traffic.errorRatio)} err`,
  ];
  if (traffic.p99Ms !== undefined) parts.push(`p99 ${ms(traffic.p99Ms)} ms`);
  return parts.join(' · ');
}

/** "v1 50%", "mirror", or undefined when the rules say nothing worth a label. */
export function rulesLabel(edge: TopologyEdge): string | undefined {
  const parts: string[] = [];
  for (const rule of edge.rules) {
    const bits: string[] = [];
    if (rule.mirror) bits.push('mirror');
    if (rule.subset) bits.push(rule.subset);
    if (rule.weight !== undefined) bits.push(`${rule.weight}%`);
    if (bits.length) parts.push(bits.join(' '));
  }
  return parts.length ? [...new Set(parts)].join(', ') : undefined;
}

/** The label of one graph edge: its rules, then its traffic, on two lines. */
export function edgeLabel(edge: TopologyEdge): string | undefined {
  const lines = [rulesLabel(edge), trafficLabel(edge.traffic)].filter(Boolean);
  return lines.length ? lines.join('\n') : undefined;
}

function mergedLabel(edges: TopologyEdge[]): string | undefined {
  if (edges.length === 1) return edgeLabel(edges[0]);
  const withTraffic = edges.filter(e => e.traffic);
  const lines = [`${edges.length} edges`];
  if (withTraffic.length) {
    const rps = withTraffic.reduce(
      (s, e) => s + e.traffic!.requestsPerSecond,
      0,
    );
    const errors = withTraffic.reduce(
      (s, e) => s + e.traffic!.requestsPerSecond * e.traffic!.errorRatio,
      0,
    );
    lines.push(`${rate(rps)} rps · ${pct(rps ? errors / rps : 0)} err`);
  }
  return lines.join('\n');
}

const KIND_RANK: TopologyEdgeKind[] = [
  'routes',
  'calls',
  'selects',
  'declared',
];

/** Builds the view of the graph with the given groups collapsed. */
export function buildView(
  graph: TopologyGraph,
  groups: TopologyGroup[],
  collapsed: Set<string>,
): TopologyView {
  const nodes: ViewNode[] = [];
  const shownAs = new Map<string, string>();
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const id of g.nodeIds) groupOf.set(id, g.id);

  for (const g of groups) {
    nodes.push(
      collapsed.has(g.id)
        ? { type: 'collapsed', id: g.id, group: g }
        : { type: 'group', id: g.id, group: g },
    );
  }
  for (const node of graph.nodes) {
    const gid = groupOf.get(node.id);
    if (gid && collapsed.has(gid)) {
      shownAs.set(node.id, gid);
      continue;
    }
    shownAs.set(node.id, node.id);
    nodes.push({ type: 'node', id: node.id, node, parentId: gid });
  }

  const merged = new Map<string, TopologyEdge[]>();
  for (const edge of graph.edges) {
    const s = shownAs.get(edge.source);
    const t = shownAs.get(edge.target);
    if (!s || !t || s === t) continue; // inside a collapsed group, or to a missing node
    const key = `${s}->${t}`;
    const list = merged.get(key);
    if (list) list.push(edge);
    else merged.set(key, [edge]);
  }
  const edges: ViewEdge[] = [];
  for (const [key, list] of merged) {
    const [source, target] = [
      shownAs.get(list[0].source)!,
      shownAs.get(list[0].target)!,
    ];
    const kind = list
      .map(e => e.kind)
      .sort((a, b) => KIND_RANK.indexOf(a) - KIND_RANK.indexOf(b))[0];
    edges.push({
      id: list.length === 1 ? list[0].id : key,
      source,
      target,
      edges: list,
      kind,
      health: worstHealth(list.map(e => e.health)),
      mirror: list.every(e => e.rules.some(r => r.mirror)),
      label: mergedLabel(list),
    });
  }
  return { nodes, edges, groups, collapsed };
}

/** Nodes whose name, namespace, version or entity matches the search (case-insensitive). */
export function searchNodes(
  graph: TopologyGraph,
  query: string,
): TopologyNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return graph.nodes.filter(n =>
    [n.name, n.namespace, n.version, n.entityRef, ...(n.hosts ?? [])].some(v =>
      v?.toLowerCase().includes(q),
    ),
  );
}

export const HEALTH_TEXT: Record<
  TopologyHealth,
  { icon: string; text: string }
> = {
  healthy: { icon: '✓', text: 'Healthy' },
  degraded: { icon: '!', text: 'Degraded' },
  failing: { icon: '✕', text: 'Failing' },
  unknown: { icon: '?', text: 'Unknown' },
};

export function kindText(node: TopologyNode): string {
  switch (node.kind) {
    case 'workload':
      return node.workloadKind ?? 'Workload';
    case 'service':
      return 'Service';
    case 'gateway':
      return node.workloadKind ? `Gateway (${node.workloadKind})` : 'Gateway';
    default:
      return 'External';
  }
}
