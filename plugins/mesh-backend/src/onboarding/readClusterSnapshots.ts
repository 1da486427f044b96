import type { KubeNamespace, KubePod } from '@meshstage/plugin-mesh-node';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import type { OnboardingClusterSnapshot } from './types';

/**
 * Reads what the comparison needs from each cluster, in parallel: its namespaces and the pods of
 * `namespaces` (by cluster name; every pod when absent). Each call is bounded by the cluster
 * timeout; a cluster that fails is returned with its error, never thrown.
 */
export async function readClusterSnapshots(
  clusters: ClusterClient[],
  namespaces?: ReadonlyMap<string, readonly string[]>,
): Promise<OnboardingClusterSnapshot[]> {
  return Promise.all(
    clusters.map(async cluster => {
      try {
        const wanted = namespaces?.get(cluster.name);
        const [allNamespaces, pods] = await Promise.all([
          cluster.list<KubeNamespace>(kubeResources.namespaces),
          wanted
            ? Promise.all(
                wanted.map(namespace =>
                  cluster.list<KubePod>(kubeResources.pods, { namespace }),
                ),
              ).then(lists => lists.flat())
            : cluster.list<KubePod>(kubeResources.pods),
        ]);
        return { cluster: cluster.name, namespaces: allNamespaces, pods };
      } catch (error) {
        return {
          cluster: cluster.name,
          error: (error as Error).message,
          namespaces: [],
          pods: [],
        };
      }
    }),
  );
}
