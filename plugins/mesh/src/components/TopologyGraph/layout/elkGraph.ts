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

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '60',
  'elk.layered.spacing.edgeNodeBetweenLayers': '20',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.componentComponent': '40',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
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

const GROUP_OPTIONS: Record<string, string> = {
  'elk.padding': `[top=${GROUP_HEADER + 12},left=16,bottom=16,right=16]`,
};

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
  const budget = Math.max(60, view.nodes.length * 2);
  if (view.edges.length <= budget) return view.edges;
  const sorted = [...view.edges].sort((a, b) => edgeScore(b) - edgeScore(a));
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
  return view.edges.filter(e => picked.has(e));
}

/** The ELK graph of a view: groups as compound nodes, edges all at the root. */
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
  const root: ElkNode = {
    id: '__root',
    layoutOptions:
      view.nodes.length > FAST_ABOVE
        ? { ...ROOT_OPTIONS, ...FAST_OPTIONS }
        : ROOT_OPTIONS,
    children: [...(children.get(undefined) ?? [])],
    edges: [],
  };
  for (const v of view.nodes) {
    if (v.type !== 'group') continue;
    root.children!.push({
      id: v.id,
      layoutOptions: GROUP_OPTIONS,
      children: children.get(v.id) ?? [],
    });
  }
  const edges = layoutEdges(view);
  const labelled = edges.length <= LABELLED_LAYOUT_MAX;
  root.edges = edges.map(
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

  const laidById = new Map((laid.edges ?? []).map(e => [e.id, e]));
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
