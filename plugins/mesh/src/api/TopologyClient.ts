import type { TopologyGraph } from '@meshstage/plugin-mesh-common';
import type {
  MeshTopologyApi,
  TopologyRequestOptions,
  TopologyRequestScope,
} from './MeshTopologyApi';
import type { MeshHttp } from './MeshHttp';

/** {@link MeshTopologyApi} over {@link MeshHttp}. */
export class TopologyClient implements MeshTopologyApi {
  constructor(private readonly http: MeshHttp) {}

  async getTopology(
    scope: TopologyRequestScope,
    options: TopologyRequestOptions = {},
  ): Promise<TopologyGraph> {
    const where =
      'entityRef' in scope
        ? { entity: scope.entityRef }
        : { cluster: scope.cluster, namespace: scope.namespace || undefined };
    const response = await this.http.send('GET', '/topology', {
      query: {
        ...where,
        depth: options.depth,
        window: options.window || undefined,
        limit: options.limit,
      },
      signal: options.signal,
    });
    return (await response.json()) as TopologyGraph;
  }
}
