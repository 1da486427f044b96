import type { MeshStatus } from '@meshstage/plugin-mesh-common';
import type { MeshAdapter, MeshClusterView } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { withTimeout } from '../cluster';
import { cachedClusterView } from './cachedClusterView';

/** How many sequential cluster calls one adapter's detection may spend. */
export const DETECTION_BUDGET_CALLS = 3;

/**
 * Mesh status for (cluster, adapter) pairs, by calling each adapter's `detect`. A failing or slow
 * cluster yields entries with `error` for that cluster only; this never rejects for one cluster.
 */
export class MeshStatusService {
  /**
   * @param timeoutMs - the per-call cluster timeout. A detection as a whole may take
   *   {@link DETECTION_BUDGET_CALLS} times that: adapters make dependent calls (Linkerd reads
   *   namespaces before their Deployments), each bounded on its own.
   */
  constructor(private readonly timeoutMs: number) {}

  /** Status of every adapter on every cluster, ordered by cluster (as given) then adapter. */
  async getStatus(
    clusters: ClusterClient[],
    adapters: MeshAdapter[],
  ): Promise<MeshStatus[]> {
    const perCluster = await Promise.all(
      clusters.map(cluster => {
        const view = cachedClusterView(cluster);
        return Promise.all(adapters.map(adapter => this.detect(view, adapter)));
      }),
    );
    return perCluster.flat();
  }

  private async detect(
    cluster: MeshClusterView,
    adapter: MeshAdapter,
  ): Promise<MeshStatus> {
    try {
      // Each cluster call is bounded already; this also bounds an adapter that chains many calls
      // or hangs on its own.
      const budget = this.timeoutMs * DETECTION_BUDGET_CALLS;
      const detection = await withTimeout(
        () => adapter.detect(cluster),
        budget,
        `detecting ${adapter.id} on cluster '${cluster.name}' took longer than ${budget} ms`,
      );
      return { mesh: adapter.id, cluster: cluster.name, ...detection };
    } catch (error) {
      return {
        mesh: adapter.id,
        cluster: cluster.name,
        installed: false,
        versions: [],
        revisions: [],
        components: [],
        namespaces: [],
        error: (error as Error).message,
      };
    }
  }
}
