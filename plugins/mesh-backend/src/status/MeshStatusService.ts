import type { MeshConflict, MeshStatus } from '@meshstage/plugin-mesh-common';
import type {
  KubeNamespace,
  KubePod,
  MeshAdapter,
  MeshClusterView,
} from '@meshstage/plugin-mesh-node';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { withTimeout } from '../cluster';
import { cachedClusterView } from './cachedClusterView';
import { findMeshConflicts } from './meshConflicts';

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
    /**
     * Every installed adapter, when `adapters` is a selection: a conflict with a mesh that was
     * not asked about is still a conflict of the mesh that was.
     */
    allAdapters: MeshAdapter[] = adapters,
  ): Promise<MeshStatus[]> {
    const perCluster = await Promise.all(
      clusters.map(async cluster => {
        const view = cachedClusterView(cluster);
        const statuses = await Promise.all(
          adapters.map(adapter => this.detect(view, adapter)),
        );
        return this.withConflicts(view, allAdapters, statuses);
      }),
    );
    return perCluster.flat();
  }

  /**
   * Adds the conflicts between meshes to the status of each mesh involved. Conflicts need at
   * least two meshes, so a single adapter costs nothing; otherwise the namespaces and pods come
   * from the per-request cache the adapters already filled.
   */
  private async withConflicts(
    view: MeshClusterView,
    adapters: MeshAdapter[],
    statuses: MeshStatus[],
  ): Promise<MeshStatus[]> {
    if (adapters.length < 2 || statuses.every(s => s.error)) return statuses;
    let conflicts: MeshConflict[];
    try {
      const [namespaces, pods] = await Promise.all([
        view.list<KubeNamespace>(kubeResources.namespaces),
        view.list<KubePod>(kubeResources.pods),
      ]);
      conflicts = findMeshConflicts(adapters, namespaces, pods);
    } catch {
      // The adapters' own reads failed the same way and carry the error already.
      return statuses;
    }
    return statuses.map(status => {
      const mine = conflicts.filter(c => c.meshes.includes(status.mesh));
      return mine.length ? { ...status, conflicts: mine } : status;
    });
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
