import type {
  KubeDeployment,
  KubeObject,
  KubePod,
  KubeResource,
  MeshAdapter,
} from '@meshstage/plugin-mesh-node';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { withTimeout } from '../cluster';
import { cachedClusterView } from '../status/cachedClusterView';
import { DETECTION_BUDGET_CALLS } from '../status/MeshStatusService';

/** Everything the topology of one cluster is built from, read in one pass. */
export interface ClusterSnapshot {
  cluster: string;
  namespaces: KubeObject[];
  pods: KubePod[];
  /** Deployments, StatefulSets and DaemonSets (same shape where the builder reads them). */
  workloads: KubeDeployment[];
  services: KubeObject[];
  /** Objects of every routing kind (the adapters' `topology.resources` and Gateway API kinds). */
  routing: KubeObject[];
}

/** Gateway API kinds the backend reads itself (Gateway parentRefs and GAMMA Service parentRefs). */
export const GATEWAY_API_RESOURCES: KubeResource[] = [
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways' },
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' },
  { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'grpcroutes' },
];

/** The routing kinds to list on a cluster: every adapter's, then Gateway API's, each once. */
export function routingResources(adapters: MeshAdapter[]): KubeResource[] {
  const seen = new Set<string>();
  const out: KubeResource[] = [];
  for (const r of [
    ...adapters.flatMap(a => a.topology?.resources ?? []),
    ...GATEWAY_API_RESOURCES,
  ]) {
    const key = `${r.group}/${r.version}/${r.plural}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/**
 * Reads one cluster for the topology: namespaces, pods, workloads, Services and the routing kinds,
 * all in parallel through a per-request cached view (so each list is made once), the whole read
 * bounded like a status detection. A kind whose CRD is not installed lists as empty (the cluster
 * client answers a 404 so); any other failure rejects, and the caller reports the cluster.
 */
export async function readClusterSnapshot(
  cluster: ClusterClient,
  resources: KubeResource[],
  timeoutMs: number,
): Promise<ClusterSnapshot> {
  const view = cachedClusterView(cluster);
  const budget = timeoutMs * DETECTION_BUDGET_CALLS;
  return withTimeout(
    async () => {
      const [
        [namespaces, pods, deployments, statefulSets, daemonSets, services],
        routing,
      ] = await Promise.all([
        Promise.all([
          view.list(kubeResources.namespaces),
          view.list<KubePod>(kubeResources.pods),
          view.list<KubeDeployment>(kubeResources.deployments),
          view.list<KubeDeployment>(kubeResources.statefulSets),
          view.list<KubeDeployment>(kubeResources.daemonSets),
          view.list(kubeResources.services),
        ]),
        Promise.all(resources.map(r => view.list(r))).then(lists =>
          lists.flat(),
        ),
      ]);
      return {
        cluster: cluster.name,
        namespaces,
        pods,
        workloads: [...deployments, ...statefulSets, ...daemonSets],
        services,
        routing,
      };
    },
    budget,
    `reading the topology of cluster '${cluster.name}' took longer than ${budget} ms`,
  );
}
