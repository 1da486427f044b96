import type { ElkNode } from 'elkjs/lib/elk-api';

/** Room between boxes, as the overview's ELK options give it. */
const SPACING = 40;
/** Rows about this much wider than the whole is high: the tab's canvas is wide. */
const TARGET_RATIO = 2.6;

/**
 * Lays out an overview whose top level holds only leaves (every namespace collapsed, plus nodes
 * outside any namespace) without ELK: they are packed in rows, in their order, rows about
 * {@link TARGET_RATIO} times as wide as the whole is high. Such a view has no edge to route (its
 * edges are drawn as curves), so ELK would only pack boxes too, after the worker has started and
 * ELK's 1.5 MB of code has loaded and compiled, which on a fresh page is most of the time to
 * first render (docs/performance.md, "Topology"). Returns the graph as ELK would (positions on
 * the children, the root's size), or `undefined` when the graph needs ELK: it is not an overview,
 * or a namespace in it is open.
 */
export function packOverview(graph: ElkNode): ElkNode | undefined {
  if (graph.layoutOptions?.['elk.algorithm'] !== 'box') return undefined;
  const children = graph.children ?? [];
  if (children.some(c => c.children?.length || c.edges?.length)) {
    return undefined;
  }
  const size = (c: ElkNode) => ({
    width: c.width ?? 0,
    height: c.height ?? 0,
  });
  let area = 0;
  let widest = 0;
  for (const c of children) {
    const { width, height } = size(c);
    area += (width + SPACING) * (height + SPACING);
    widest = Math.max(widest, width);
  }
  const rowWidth = Math.max(widest, Math.sqrt(area * TARGET_RATIO));

  const placed: ElkNode[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const c of children) {
    const { width: w, height: h } = size(c);
    if (x > 0 && x + w > rowWidth) {
      y += rowHeight + SPACING;
      x = 0;
      rowHeight = 0;
    }
    placed.push({ ...c, x, y, width: w, height: h });
    width = Math.max(width, x + w);
    rowHeight = Math.max(rowHeight, h);
    x += w + SPACING;
  }
  return {
    ...graph,
    x: 0,
    y: 0,
    width,
    height: placed.length ? y + rowHeight : 0,
    children: placed,
    edges: [],
  };
}
