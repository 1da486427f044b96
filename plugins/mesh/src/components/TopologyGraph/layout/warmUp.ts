import type { ElkNode } from 'elkjs/lib/elk-api';
import type {
  TopologyGraph,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';
import { buildView, groupNodes } from '../model';
import { toElkGraph } from './elkGraph';

const node = (
  namespace: string,
  name: string,
  kind: TopologyNode['kind'] = 'workload',
): TopologyNode => ({
  id: `warm-up/${kind}/${namespace}/${name}`,
  kind,
  cluster: 'warm-up',
  namespace,
  name,
  health: 'healthy',
});

/**
 * The layouts ELK runs before the first real one (see `LayoutEngine.warmUp`): a tiny graph shaped
 * like a real neighbourhood (a gateway's namespace and a Service routing to three versions, with
 * labels), laid out through the same `toElkGraph` as real views: first with both namespaces
 * collapsed (the overview tier, ELK's box layout: cheap, so data arriving meanwhile waits little
 * for it), then whole (the layered tier, whose first run costs ELK most). On a fresh page they
 * load ELK's code and start its JIT while the data is still on its way.
 */
export function warmUpGraphs(): ElkNode[] {
  const gateway = node('edge', 'gateway', 'gateway');
  const svc = node('app', 'app', 'service');
  const versions = ['v1', 'v2', 'v3'].map(v => node('app', `app-${v}`));
  const graph: TopologyGraph = {
    scope: { cluster: 'warm-up' },
    nodes: [gateway, svc, ...versions],
    edges: [
      { source: gateway, target: svc, weight: undefined },
      ...versions.map((target, i) => ({
        source: svc,
        target,
        weight: [50, 30, 20][i],
      })),
    ].map(({ source, target, weight }) => ({
      id: `${source.id}->${target.id}`,
      source: source.id,
      target: target.id,
      kind: 'routes' as const,
      rules: [
        {
          source: 'istio',
          resource: {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            namespace: target.namespace!,
            name: target.name,
          },
          subset: weight ? target.name.slice(-2) : undefined,
          weight,
        },
      ],
      traffic: { requestsPerSecond: 12.5, errorRatio: 0.004, p99Ms: 23 },
      health: 'healthy' as const,
    })),
    traffic: { source: 'prometheus', window: '5m' },
    clusterErrors: [],
    generatedAt: new Date(0).toISOString(),
  };
  const groups = groupNodes(graph);
  return [
    toElkGraph(buildView(graph, groups, new Set(groups.map(g => g.id)))),
    toElkGraph(buildView(graph, groups, new Set())),
  ];
}
