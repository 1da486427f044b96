import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { TopologyView, ViewEdge, ViewNode } from '../model';

/** Sizes ELK lays out with; the node components draw exactly these. */
export const NODE_SIZE = { width: 190, height: 56 };
export const COLLAPSED_SIZE = { width: 220, height: 64 };
/** Room at the top of an open group for its header. */
export const GROUP_HEADER = 36;
const LABEL_LINE = { width: 7, height: 16 }; // px per character, per line (12px font)

export interface Point {
  x: number;
  y: number;
}

export interface PositionedNode {
  view: ViewNode;
  /** Relative to the parent group when there is one (as React Flow wants), else absolute. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PositionedEdge {
  view: ViewEdge;
  /** The route, absolute: start, bends, end. */
  points: Point[];
  /** Where ELK put the label (its centre), absolute. */
  labelAt?: Point;
}

export interface TopologyLayout {
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  width: number;
  height: number;
}

/** Layered, left to right: the whole view when nothing is collapsed, each open group otherwise. */
const LAYERED_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '60',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.componentComponent': '40',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

const ROOT_OPTIONS: Record<string, string> = {
  ...LAYERED_OPTIONS,
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  // Coordinates of every edge relative to the root, whichever group ELK files it under.
  'elk.json.edgeCoords': 'ROOT',
};

/**
 * For bigger views: one crossing-minimisation pass and no model-order constraints, about 3 times
 * faster (bench/topology-render.mjs); small neighbourhoods keep ELK's thorough defaults.
 */
const FAST_ABOVE = 60;
const FAST_OPTIONS: Record<string, string> = {
  'elk.layered.thoroughness': '1',
  'elk.layered.considerModelOrder.strategy': 'NONE',
};

const GROUP_PADDING = `[top=${GROUP_HEADER + 12},left=16,bottom=16,right=16]`;
const GROUP_OPTIONS: Record<string, string> = {
  'elk.padding': GROUP_PADDING,
};

/**
 * The overview tier (a view with a collapsed namespace): ELK's box layout packs the top level
 * (open namespaces, collapsed ones, nodes outside any namespace) in rows, and each open namespace
 * is laid out on its own, layered, with the edges inside it. Only those are routed; the others
 * (merged edges between namespaces: nearly every pair of a big cluster) are drawn as curves.
 * Layered over a 25-namespace overview took ELK 1 to 2 s of CPU on its first run in a fresh
 * worker, 20-200 ms once warm; box takes a few ms (bench/topology-render.mjs, docs/performance.md).
 */
const OVERVIEW_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'box',
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  'elk.spacing.nodeNode': '40',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  'elk.json.edgeCoords': 'ROOT',
};
/**
 * Box's aspect ratio (its own scale: these give rows about 2.6 times as wide as high when every
 * namespace is collapsed, for the wide canvas, and the collapsed row above an open group).
 */
const OVERVIEW_ASPECT = { collapsedOnly: '5', withOpenGroup: '2' };

/** Whether the view is laid out as an overview (it has a collapsed namespace). */
export const isOverview = (view: TopologyView) =>
  view.nodes.some(v => v.type === 'collapsed');

function labelSize(text: string) {
  const lines = text.split('\n');
  return {
    width: Math.max(...lines.map(l => l.length)) * LABEL_LINE.width + 12,
    height: lines.length * LABEL_LINE.height + 6,
  };
}

/** ELK places labels only while it routes at most this many edges (label room costs time). */
const LABELLED_LAYOUT_MAX = 300;

const edgeScore = (e: ViewEdge) =>
  e.edges.length * 1e6 +
  e.edges.reduce((n, x) => n + (x.traffic?.requestsPerSecond ?? 0), 0);

/**
 * The edges ELK lays out with: all of them while there are at most 2 per node (at least 60);
 * beyond that each node's strongest edge (most merged edges, then traffic), then the strongest of
 * the rest up to that budget. Dense views (collapsed namespaces of a big cluster, where nearly
 * every pair is connected) lay out in a fraction of the time; the other edges are still drawn, as
 * curves between their nodes.
 */
export function layoutEdges(view: TopologyView): ViewEdge[] {
  return pickEdges(view.edges, view.nodes.length);
}

function pickEdges(all: ViewEdge[], nodeCount: number): ViewEdge[] {
  const budget = Math.max(60, nodeCount * 2);
  if (all.length <= budget) return all;
  const sorted = [...all].sort((a, b) => edgeScore(b) - edgeScore(a));
  const picked = new Set<ViewEdge>();
  const covered = new Set<string>();
  for (const e of sorted) {
    if (!covered.has(e.source) || !covered.has(e.target)) {
      picked.add(e);
      covered.add(e.source);
      covered.add(e.target);
    }
  }
  for (const e of sorted) {
    if (picked.size >= budget) break;
    picked.add(e);
  }
  return all.filter(e => picked.has(e));
}

function elkEdges(edges: ViewEdge[]): ElkExtendedEdge[] {
  const labelled = edges.length <= LABELLED_LAYOUT_MAX;
  return edges.map(
    (e): ElkExtendedEdge => ({
      id: e.id,
      sources: [e.source],
      targets: [e.target],
      labels:
        labelled && e.label
          ? [
              {
                id: `${e.id}#label`,
                text: e.label,
                ...labelSize(e.label),
                // Beside the target end: ELK makes room there without adding a layer for the
                // label, as centre labels do, so the graph stays narrow.
                layoutOptions: { 'elk.edgeLabels.placement': 'HEAD' },
              },
            ]
          : undefined,
    }),
  );
}

/**
 * The ELK graph of a view: groups as compound nodes. Without a collapsed namespace, one layered
 * layout of everything, edges at the root; with one, the overview (see `OVERVIEW_OPTIONS`).
 */
export function toElkGraph(view: TopologyView): ElkNode {
  const children = new Map<string | undefined, ElkNode[]>();
  const add = (parent: string | undefined, n: ElkNode) => {
    const list = children.get(parent);
    if (list) list.push(n);
    else children.set(parent, [n]);
  };
  for (const v of view.nodes) {
    if (v.type === 'group') continue;
    const size = v.type === 'collapsed' ? COLLAPSED_SIZE : NODE_SIZE;
    add(v.type === 'node' ? v.parentId : undefined, { id: v.id, ...size });
  }
  const openGroups = view.nodes.filter(v => v.type === 'group');

  if (isOverview(view)) {
    const parentOf = new Map<string, string | undefined>();
    for (const v of view.nodes) {
      if (v.type === 'node') parentOf.set(v.id, v.parentId);
    }
    const inside = new Map<string, ViewEdge[]>();
    for (const e of view.edges) {
      const p = parentOf.get(e.source);
      if (!p || p !== parentOf.get(e.target)) continue; // between namespaces: a curve
      const list = inside.get(p);
      if (list) list.push(e);
      else inside.set(p, [e]);
    }
    return {
      id: '__root',
      layoutOptions: {
        ...OVERVIEW_OPTIONS,
        'elk.aspectRatio': openGroups.length
          ? OVERVIEW_ASPECT.withOpenGroup
          : OVERVIEW_ASPECT.collapsedOnly,
      },
      children: [
        ...openGroups.map((v): ElkNode => {
          const members = children.get(v.id) ?? [];
          const own = inside.get(v.id) ?? [];
          return {
            id: v.id,
            layoutOptions: {
              ...LAYERED_OPTIONS,
              ...(members.length > FAST_ABOVE ? FAST_OPTIONS : {}),
              'elk.padding': GROUP_PADDING,
            },
            children: members,
            edges: elkEdges(pickEdges(own, members.length)),
          };
        }),
        ...(children.get(undefined) ?? []),
      ],
      edges: [],
    };
  }

  const root: ElkNode = {
    id: '__root',
    layoutOptions:
      view.nodes.length > FAST_ABOVE
        ? { ...ROOT_OPTIONS, ...FAST_OPTIONS }
        : ROOT_OPTIONS,
    children: [...(children.get(undefined) ?? [])],
    edges: elkEdges(layoutEdges(view)),
  };
  for (const v of openGroups) {
    root.children!.push({
      id: v.id,
      layoutOptions: GROUP_OPTIONS,
      children: children.get(v.id) ?? [],
    });
  }
  return root;
}

/** Reads ELK's answer back: node positions for React Flow and absolute edge routes. */
export function fromElkGraph(
  view: TopologyView,
  laid: ElkNode,
): TopologyLayout {
  const byId = new Map(view.nodes.map(v => [v.id, v]));
  const nodes: PositionedNode[] = [];
  const visit = (n: ElkNode) => {
    const v = byId.get(n.id);
    if (v) {
      nodes.push({
        view: v,
        x: n.x ?? 0,
        y: n.y ?? 0,
        width: n.width ?? NODE_SIZE.width,
        height: n.height ?? NODE_SIZE.height,
      });
    }
    n.children?.forEach(visit);
  };
  laid.children?.forEach(visit);

  // Edges sit at the root, or (overview) in the group they are inside.
  const laidById = new Map<string, ElkExtendedEdge>();
  const collect = (n: ElkNode) => {
    for (const e of n.edges ?? []) laidById.set(e.id, e);
    n.children?.forEach(collect);
  };
  collect(laid);
  const edges: PositionedEdge[] = [];
  for (const v of view.edges) {
    const e = laidById.get(v.id);
    if (!e) {
      // Not laid out (see layoutEdges): drawn as a curve between its nodes.
      edges.push({ view: v, points: [] });
      continue;
    }
    const points: Point[] = [];
    for (const s of e.sections ?? []) {
      if (!points.length) points.push(s.startPoint);
      points.push(...(s.bendPoints ?? []), s.endPoint);
    }
    const label = e.labels?.[0];
    edges.push({
      view: v,
      points,
      labelAt:
        label && label.x !== undefined && label.y !== undefined
          ? {
              x: label.x + (label.width ?? 0) / 2,
              y: label.y + (label.height ?? 0) / 2,
            }
          : undefined,
    });
  }
  return { nodes, edges, width: laid.width ?? 0, height: laid.height ?? 0 };
}
