import { buildView, defaultCollapsed, groupNodes } from '../model';
import { bigGraph, bookinfoGraph } from '../__testUtils__/topologyFixtures';
import { COLLAPSED_SIZE, fromElkGraph, toElkGraph } from './elkGraph';
import { packOverview } from './packOverview';

const overlaps = (
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
) =>
  a.x < b.x + b.width &&
  b.x < a.x + a.width &&
  a.y < b.y + b.height &&
  b.y < a.y + a.height;

describe('packOverview', () => {
  it('packs a cluster of collapsed namespaces in wide rows, without overlaps', () => {
    const graph = bigGraph(25, 40);
    const groups = groupNodes(graph);
    const view = buildView(graph, groups, defaultCollapsed(graph, groups, 150));
    const packed = packOverview(toElkGraph(view))!;
    expect(packed).toBeDefined();
    const layout = fromElkGraph(view, packed);
    expect(layout.nodes).toHaveLength(25);
    for (const [i, a] of layout.nodes.entries()) {
      expect(a.width).toBe(COLLAPSED_SIZE.width);
      for (const b of layout.nodes.slice(i + 1)) {
        expect(overlaps(a, b)).toBe(false);
      }
    }
    // Wider than high, as the tab's canvas is, but not one endless row.
    expect(layout.width / layout.height).toBeGreaterThan(1.5);
    expect(layout.width / layout.height).toBeLessThan(5);
    expect(new Set(layout.nodes.map(n => n.y)).size).toBeGreaterThan(1);
    // Namespace order is kept: reading order follows the view's.
    const order = [...layout.nodes].sort((a, b) => a.y - b.y || a.x - b.x);
    expect(order.map(n => n.view.id)).toEqual(layout.nodes.map(n => n.view.id));
    // Edges between namespaces are curves: nothing routed.
    expect(layout.edges.every(e => e.points.length === 0)).toBe(true);
    expect(layout.edges.length).toBeGreaterThan(0);
  });

  it('leaves views with an open namespace, and layered views, to ELK', () => {
    const graph = bigGraph(25, 40);
    const groups = groupNodes(graph);
    const collapsed = defaultCollapsed(graph, groups, 150);
    collapsed.delete(groups[0].id);
    expect(
      packOverview(toElkGraph(buildView(graph, groups, collapsed))),
    ).toBeUndefined();

    const bookinfo = bookinfoGraph();
    const bookinfoGroups = groupNodes(bookinfo);
    expect(
      packOverview(toElkGraph(buildView(bookinfo, bookinfoGroups, new Set()))),
    ).toBeUndefined();
  });
});
