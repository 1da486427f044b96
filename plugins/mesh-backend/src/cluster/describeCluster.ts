import type { MeshClusterInfo } from '@meshstage/plugin-mesh-common';
import type { ClusterClient } from './types';

/**
 * Probes a cluster's `/version`. Never rejects: an unreachable cluster is described with its
 * error, so one bad cluster cannot fail a listing of all of them.
 */
export async function describeCluster(
  client: ClusterClient,
): Promise<MeshClusterInfo> {
  const identity = {
    name: client.name,
    ...(client.title ? { title: client.title } : {}),
    url: client.url,
  };
  try {
    const serverVersion = await client.serverVersion();
    return { ...identity, reachable: true, serverVersion };
  } catch (error) {
    return { ...identity, reachable: false, error: (error as Error).message };
  }
}
