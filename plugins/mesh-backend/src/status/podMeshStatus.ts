import type { MeshPodStatus } from '@meshstage/plugin-mesh-common';
import type { KubePod, MeshAdapter } from '@meshstage/plugin-mesh-node';
import {
  imageTag,
  isPodReady,
  podContainers,
} from '@meshstage/plugin-mesh-node';

/**
 * One pod as the entity status shows it: its containers, which of them is a mesh proxy (as the
 * adapters define proxies), and so which mesh the pod is in. Pure.
 */
export function podMeshStatus(
  pod: KubePod,
  adapters: MeshAdapter[],
): MeshPodStatus {
  // Container name → mesh id; the first adapter (by id) wins a name two meshes would claim.
  const proxyOwners = new Map<string, string>();
  for (const adapter of adapters) {
    for (const name of adapter.injection.proxyContainerNames) {
      if (!proxyOwners.has(name)) proxyOwners.set(name, adapter.id);
    }
  }
  const containers = podContainers(pod).map(c => ({
    name: c.name,
    image: c.image ?? '',
    proxy: proxyOwners.has(c.name),
  }));
  const proxy = containers.find(c => c.proxy);
  return {
    name: pod.metadata.name,
    namespace: pod.metadata.namespace ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: isPodReady(pod),
    ...(proxy
      ? {
          mesh: proxyOwners.get(proxy.name),
          proxyVersion: imageTag(proxy.image),
        }
      : {}),
    containers,
  };
}
