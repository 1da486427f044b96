import type { MeshConflict } from '@meshstage/plugin-mesh-common';
import type {
  KubeNamespace,
  KubePod,
  MeshAdapter,
} from '@meshstage/plugin-mesh-node';
import { findProxyContainer } from '@meshstage/plugin-mesh-node';

/**
 * Clashes between meshes installed side by side, read through each adapter's injection contract
 * (so any mesh with an adapter is covered): a namespace two injectors are enabled on, where each
 * new pod gets two proxies or a failed admission; and a pod already running two meshes' proxies.
 * Pure: the caller lists namespaces and pods.
 */
export function findMeshConflicts(
  adapters: Pick<MeshAdapter, 'id' | 'injection'>[],
  namespaces: KubeNamespace[],
  pods: KubePod[],
): MeshConflict[] {
  const conflicts: MeshConflict[] = [];
  for (const ns of namespaces) {
    const meshes = adapters
      .filter(a => a.injection.namespaceEnabled(ns).enabled)
      .map(a => a.id)
      .sort();
    if (meshes.length > 1) {
      conflicts.push({
        type: 'namespace-multiple-injectors',
        namespace: ns.metadata.name,
        meshes,
        message: `Namespace ${
          ns.metadata.name
        } is enabled for injection by ${meshes.join(
          ' and ',
        )}: new pods get several proxies. Offboard it from all but one mesh.`,
      });
    }
  }
  for (const pod of pods) {
    const meshes = adapters
      .filter(a => findProxyContainer(pod, a.injection.proxyContainerNames))
      .map(a => a.id)
      .sort();
    if (meshes.length > 1) {
      const namespace = pod.metadata.namespace ?? '';
      conflicts.push({
        type: 'pod-multiple-proxies',
        namespace,
        pod: pod.metadata.name,
        meshes,
        message: `Pod ${namespace}/${
          pod.metadata.name
        } runs the proxies of ${meshes.join(
          ' and ',
        )}; its traffic passes through both.`,
      });
    }
  }
  return conflicts;
}
