import {
  buildView,
  defaultCollapsed,
  edgeLabel,
  effectiveCollapsed,
  groupNodes,
  searchNodes,
  worstHealth,
} from './model';
import {
  bigGraph,
  bookinfoGraph,
  bookinfoWithTraffic,
  edges,
  nodes,
} from './__testUtils__/topologyFixtures';
import { fromElkGraph, layoutEdges, toElkGraph } from './layout/elkGraph';
import { inThreadEngine } from './layout/engine';

describe('topology view model', () => {
  it('groups nodes by namespace with health counts and the focus', () => {
    const groups = groupNodes(bookinfoGraph());
    expect(groups.map(g => [g.id, g.nodeIds.length, g.focus])).toEqual([
      ['ns:dev/istio-system', 1, false],
      ['ns:dev/bookinfo', 10, true],
    ]);
    expect(groups[1].health).toEqual({
      healthy: 9,
      degraded: 1,
      failing: 0,
      unknown: 0,
    });
  });

  it('labels edges with subset and weight, then traffic', () => {
    expect(edgeLabel(edges.reviewsV1)).toBe('v1 50%');
    expect(edgeLabel(edges.productpageSelects)).toBeUndefined();
    const withTraffic = bookinfoWithTraffic().edges.find(
      e => e.id === edges.toReviews.id,
    )!;
    expect(edgeLabel(withTraffic)).toBe('12.5 rps · 0.4% err · p99 23 ms');
    expect(
      edgeLabel({
        ...edges.reviewsV1,
        rules: [
          { ...edges.reviewsV1.rules[0], mirror: true, weight: undefined },
        ],
      }),
    ).toBe('mirror v1');
  });

  it('collapses nothing under the threshold, then the groups without the entity, then all', () => {
    const small = bookinfoGraph();
    expect(defaultCollapsed(small, groupNodes(small), 150).size).toBe(0);
    const big = bigGraph(5, 20);
    big.nodes = big.nodes.map(n =>
      n.namespace === 'ns0' ? { ...n, focus: true } : n,
    );
    const groups = groupNodes(big);
    // 100 nodes; the entity's 20 and 4 collapsed groups fit in 50
    expect([...defaultCollapsed(big, groups, 50)]).toEqual([
      'ns:dev/ns1',
      'ns:dev/ns2',
      'ns:dev/ns3',
      'ns:dev/ns4',
    ]);
    expect(defaultCollapsed(big, groups, 10).size).toBe(5);
    const noEntity = bigGraph(10, 100);
    expect(defaultCollapsed(noEntity, groupNodes(noEntity), 150).size).toBe(10);
  });

  it("applies the user's choices over the defaults", () => {
    expect([
      ...effectiveCollapsed(new Set(['a', 'b']), { a: false, c: true }),
    ]).toEqual(['b', 'c']);
  });

  it('merges edges into and out of collapsed groups, dropping those inside', () => {
    const graph = bigGraph(3, 4);
    const groups = groupNodes(graph);
    const view = buildView(graph, groups, new Set(['ns:dev/ns1']));
    expect(view.nodes.filter(n => n.type === 'node')).toHaveLength(8);
    expect(view.nodes.filter(n => n.type === 'collapsed')).toHaveLength(1);
    const merged = view.edges.filter(
      e => e.source === 'ns:dev/ns1' || e.target === 'ns:dev/ns1',
    );
    expect(merged.map(e => [e.source, e.target])).toEqual([
      ['dev/workload/ns0/w3', 'ns:dev/ns1'],
      ['ns:dev/ns1', 'dev/workload/ns2/w0'],
    ]);
    // 11 edges: 3 inside ns1 are hidden, the 2 crossing it stay, 6 elsewhere
    expect(view.edges).toHaveLength(8);
  });

  it('merges several edges into one labelled with their count and summed traffic', () => {
    const g = bookinfoWithTraffic();
    g.edges.push({
      ...edges.gatewayToProductpage,
      id: 'gateway->details',
      target: nodes.detailsSvc.id,
      traffic: { requestsPerSecond: 10, errorRatio: 0.5 },
      health: 'failing',
    });
    g.edges = g.edges.map(e =>
      e.id === edges.gatewayToProductpage.id
        ? { ...e, traffic: { requestsPerSecond: 30, errorRatio: 0 } }
        : e,
    );
    const view = buildView(g, groupNodes(g), new Set(['ns:dev/bookinfo']));
    expect(view.edges).toHaveLength(1);
    expect(view.edges[0]).toMatchObject({
      id: `${nodes.gateway.id}->ns:dev/bookinfo`,
      source: nodes.gateway.id,
      target: 'ns:dev/bookinfo',
      kind: 'routes',
      health: 'failing',
      label: '2 edges\n40 rps · 13% err',
    });
  });

  it('lays out dense views with a budget of edges that still reaches every node', () => {
    const g = bigGraph(1, 100);
    for (let i = 0; i < 100; i++) {
      for (const d of [2, 3, 5]) {
        const [s, t] = [g.nodes[i], g.nodes[(i + d) % 100]];
        g.edges.push({
          ...g.edges[0],
          id: `${s.id}->${t.id}`,
          source: s.id,
          target: t.id,
        });
      }
    }
    const view = buildView(g, groupNodes(g), new Set());
    expect(view.edges).toHaveLength(399);
    const picked = layoutEdges(view);
    expect(picked).toHaveLength(202); // 2 per node (101 shown, with the group)
    const reached = new Set(picked.flatMap(e => [e.source, e.target]));
    for (const n of g.nodes) expect(reached.has(n.id)).toBe(true);
    // the rest are drawn without a route
    const laid = fromElkGraph(view, {
      id: 'r',
      edges: picked.map(e => ({
        id: e.id,
        sources: [],
        targets: [],
        sections: [],
      })),
    });
    expect(laid.edges).toHaveLength(399);
    const small = buildView(
      bookinfoGraph(),
      groupNodes(bookinfoGraph()),
      new Set(),
    );
    expect(layoutEdges(small)).toBe(small.edges);
  });

  it('takes the worst health', () => {
    expect(worstHealth(['healthy', 'unknown'])).toBe('healthy');
    expect(worstHealth(['healthy', 'failing', 'degraded'])).toBe('failing');
    expect(worstHealth([])).toBe('unknown');
  });

  it('searches names, namespaces, versions and entity refs', () => {
    const g = bookinfoGraph();
    expect(searchNodes(g, 'REVIEWS-V').map(n => n.name)).toEqual([
      'reviews-v1',
      'reviews-v2',
      'reviews-v3',
    ]);
    expect(searchNodes(g, 'component:default/details')).toEqual([
      nodes.detailsSvc,
      nodes.details,
    ]);
    expect(searchNodes(g, '  ')).toEqual([]);
  });

  it('lays out left to right with ELK, groups around their nodes, routes absolute', async () => {
    const g = bookinfoGraph();
    const view = buildView(g, groupNodes(g), new Set());
    const laid = fromElkGraph(
      view,
      await inThreadEngine().layout(toElkGraph(view)),
    );
    const abs = new Map<string, { x: number; y: number; w: number }>();
    for (const p of laid.nodes) {
      const parent =
        p.view.type === 'node' && p.view.parentId
          ? abs.get(p.view.parentId)!
          : { x: 0, y: 0 };
      abs.set(p.view.id, { x: parent.x + p.x, y: parent.y + p.y, w: p.width });
    }
    // layered, left to right: gateway before productpage before reviews before ratings
    const x = (id: string) => abs.get(id)!.x;
    expect(x(nodes.gateway.id)).toBeLessThan(x(nodes.productpageSvc.id));
    expect(x(nodes.productpage.id)).toBeLessThan(x(nodes.reviewsSvc.id));
    expect(x(nodes.reviews2.id)).toBeLessThan(x(nodes.ratingsSvc.id));
    // every edge has a route starting at its source's right side
    expect(laid.edges).toHaveLength(g.edges.length);
    for (const e of laid.edges) {
      const s = abs.get(e.view.source)!;
      expect(e.points.length).toBeGreaterThanOrEqual(2);
      expect(e.points[0].x).toBeCloseTo(s.x + s.w, 0);
    }
    expect(
      laid.edges.find(e => e.view.id === edges.reviewsV1.id)!.labelAt,
    ).toBeDefined();
  });

  it('lays out a view with a collapsed namespace as an overview: namespaces packed, each open one layered inside', async () => {
    const g = bookinfoGraph();
    const groups = groupNodes(g);
    const view = buildView(g, groups, new Set(['ns:dev/istio-system']));
    const elk = toElkGraph(view);
    expect(elk.layoutOptions!['elk.algorithm']).toBe('box');
    expect(elk.edges).toEqual([]);
    const bookinfo = elk.children!.find(c => c.id === 'ns:dev/bookinfo')!;
    expect(bookinfo.layoutOptions!['elk.algorithm']).toBe('layered');
    // the edges inside the open namespace, not the one from the collapsed gateway namespace
    expect(bookinfo.edges).toHaveLength(g.edges.length - 1);

    const laid = fromElkGraph(view, await inThreadEngine().layout(elk));
    const pos = new Map(laid.nodes.map(p => [p.view.id, p]));
    const group = pos.get('ns:dev/bookinfo')!;
    const abs = (id: string) => ({
      x: group.x + pos.get(id)!.x,
      right: group.x + pos.get(id)!.x + pos.get(id)!.width,
    });
    // still left to right inside the namespace, routes absolute
    expect(abs(nodes.productpage.id).x).toBeLessThan(
      abs(nodes.reviewsSvc.id).x,
    );
    const v1 = laid.edges.find(e => e.view.id === edges.reviewsV1.id)!;
    expect(v1.points[0].x).toBeCloseTo(abs(nodes.reviewsSvc.id).right, 0);
    expect(v1.labelAt).toBeDefined();
    // the merged edge from the collapsed namespace has no route: drawn as a curve
    const merged = laid.edges.find(
      e => e.view.source === 'ns:dev/istio-system',
    )!;
    expect(merged.points).toEqual([]);
    // the packed namespaces do not overlap
    const gw = pos.get('ns:dev/istio-system')!;
    expect(
      gw.x + gw.width <= group.x ||
        group.x + group.width <= gw.x ||
        gw.y + gw.height <= group.y ||
        group.y + group.height <= gw.y,
    ).toBe(true);
  });
});
