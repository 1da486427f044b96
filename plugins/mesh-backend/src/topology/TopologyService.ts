import type {
  TopologyGraph,
  TopologyScope,
  TopologyTrafficSource,
} from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { buildTopology, type TopologyScopeInput } from './buildTopology';
import type { TopologyEntity } from './entities';
import {
  type ClusterSnapshot,
  readClusterSnapshot,
  routingResources,
} from './snapshot';
import type { TrafficEdgeSample, TrafficSource } from './traffic/types';

/** One graph request, with everything read from the catalog already. */
export interface TopologyRequest {
  scope: TopologyScopeInput;
  /** The clusters to read; names stand for clusters an entity names but config lacks. */
  clusters: Array<ClusterClient | string>;
  adapters: MeshAdapter[];
  entities: TopologyEntity[];
  /** Prometheus duration; the traffic source's default when absent. */
  window?: string;
  limit: number;
}

/**
 * The topology graph: each cluster read once (in parallel, bounded like a status read) next to
 * the traffic source, then the pure builder. A cluster that cannot be read is listed in
 * `clusterErrors`; a traffic source that fails leaves configuration edges only, with
 * `traffic.error` set.
 */
export class TopologyService {
  constructor(
    private readonly timeoutMs: number,
    private readonly trafficSource?: TrafficSource,
  ) {}

  async graph(request: TopologyRequest): Promise<TopologyGraph> {
    const resources = routingResources(request.adapters);
    const readable = request.clusters.filter(
      (c): c is ClusterClient => typeof c !== 'string',
    );
    const clusterErrors: TopologyGraph['clusterErrors'] = request.clusters
      .filter((c): c is string => typeof c === 'string')
      .map(cluster => ({
        cluster,
        message: `cluster '${cluster}' is not configured`,
      }));

    const [reads, traffic] = await Promise.all([
      Promise.all(
        readable.map(cluster =>
          readClusterSnapshot(cluster, resources, this.timeoutMs).then(
            snapshot => ({ cluster: cluster.name, snapshot }),
            (error: Error) => ({
              cluster: cluster.name,
              error: error.message ?? String(error),
            }),
          ),
        ),
      ),
      this.readTraffic(
        readable.map(c => c.name),
        request.window,
      ),
    ]);
    const snapshots: ClusterSnapshot[] = [];
    for (const read of reads) {
      if ('snapshot' in read) snapshots.push(read.snapshot);
      else clusterErrors.push({ cluster: read.cluster, message: read.error });
    }

    const built = buildTopology({
      snapshots,
      adapters: request.adapters,
      entities: request.entities,
      traffic: traffic.samples,
      scope: request.scope,
      limit: request.limit,
    });
    const scope: TopologyScope =
      request.scope.type === 'entity'
        ? { entityRef: request.scope.entityRef, depth: request.scope.depth }
        : {
            cluster: request.scope.cluster,
            ...(request.scope.namespace
              ? { namespace: request.scope.namespace }
              : {}),
          };
    return {
      scope,
      nodes: built.nodes,
      edges: built.edges,
      traffic: traffic.info,
      clusterErrors,
      ...(built.truncated ? { truncated: built.truncated } : {}),
      generatedAt: new Date().toISOString(),
    };
  }

  private async readTraffic(
    clusters: string[],
    window: string | undefined,
  ): Promise<{ info: TopologyTrafficSource; samples: TrafficEdgeSample[] }> {
    const source = this.trafficSource;
    if (!source) return { info: { source: 'none' }, samples: [] };
    const w = window ?? source.defaultWindow;
    if (!clusters.length) {
      return { info: { source: source.kind, window: w }, samples: [] };
    }
    try {
      const samples = await source.read({ clusters, window: w });
      return { info: { source: source.kind, window: w }, samples };
    } catch (error) {
      return {
        info: {
          source: source.kind,
          window: w,
          error: (error as Error)?.message ?? String(error),
        },
        samples: [],
      };
    }
  }
}
