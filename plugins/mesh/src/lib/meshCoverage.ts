import type {
  EntityMeshStatus,
  MeshMtlsMode,
  MeshPodStatus,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';

/**
 * A pod's sidecar against what the entity expects: `meshed` (the expected mesh's proxy, at a
 * version its control plane runs), `not-meshed` (no proxy), `outdated` (a proxy version the
 * control plane on the cluster no longer runs) or `wrong-mesh` (another mesh's proxy).
 */
export type SidecarState = 'meshed' | 'not-meshed' | 'outdated' | 'wrong-mesh';

/** A pod's {@link SidecarState} with the words the tab shows. */
export interface PodSidecar {
  state: SidecarState;
  label: string;
  /** Why, for outdated and wrong-mesh proxies. */
  detail?: string;
}

/**
 * Classifies a pod's sidecar. `controlPlane` is the status of the pod's mesh on the pod's
 * cluster, when known: a proxy version it does not list is outdated.
 */
export function podSidecar(
  pod: MeshPodStatus,
  desiredMesh: string | undefined,
  controlPlane: MeshStatus | undefined,
): PodSidecar {
  if (!pod.mesh) return { state: 'not-meshed', label: 'not meshed' };
  if (desiredMesh && pod.mesh !== desiredMesh) {
    return {
      state: 'wrong-mesh',
      label: 'wrong mesh',
      detail: `runs ${pod.mesh}, expected ${desiredMesh}`,
    };
  }
  if (
    pod.proxyVersion &&
    controlPlane?.installed &&
    controlPlane.mesh === pod.mesh &&
    controlPlane.versions.length > 0 &&
    !controlPlane.versions.includes(pod.proxyVersion)
  ) {
    return {
      state: 'outdated',
      label: 'outdated proxy',
      detail: `proxy ${
        pod.proxyVersion
      }, control plane ${controlPlane.versions.join(', ')}`,
    };
  }
  return { state: 'meshed', label: 'meshed' };
}

/** A namespace of the entity's workloads on one cluster, as onboarding sees it. */
export interface NamespaceMeshView {
  name: string;
  /** Whether the expected mesh injects the namespace's pods. */
  injectionEnabled: boolean;
  /** The control-plane revision the namespace is bound to (Istio), if any. */
  revision?: string;
  /** The namespace's own mTLS mode, when it overrides the mesh-wide one. */
  mtlsMode?: MeshMtlsMode;
  /** The entity's pods in it, and how many carry a proxy. */
  pods: number;
  meshedPods: number;
}

/** A mesh whose proxies run in the entity's pods on a cluster. */
export interface ServingMesh {
  mesh: string;
  /** Proxy versions seen, sorted. */
  versions: string[];
  pods: number;
}

/** The entity on one cluster: what the Mesh tab shows per cluster and where it offers onboarding. */
export interface ClusterMeshView {
  cluster: string;
  /** The entity's pods could not be listed. */
  error?: string;
  /** The expected mesh's status on the cluster (when the entity names a mesh and it was read). */
  expected?: MeshStatus;
  /** Whether the expected mesh's control plane runs on the cluster. */
  expectedInstalled: boolean;
  /** The namespaces to onboard or offboard: the namespace annotation's, else the pods'. */
  namespaces: NamespaceMeshView[];
  serving: ServingMesh[];
  pods: number;
  sidecars: Record<SidecarState, number>;
}

/**
 * The per-cluster view of an entity: its namespaces with their injection state for the expected
 * mesh, the meshes serving its pods, and sidecar counts. Pure.
 *
 * @param namespaceAnnotation - `backstage.io/kubernetes-namespace`, when the entity sets it
 */
export function clusterMeshViews(
  status: EntityMeshStatus,
  controlPlanes: MeshStatus[],
  namespaceAnnotation?: string,
): ClusterMeshView[] {
  const desired = status.desiredMesh;
  return status.clusters.map(c => {
    const expected = desired
      ? controlPlanes.find(s => s.cluster === c.cluster && s.mesh === desired)
      : undefined;
    const names = namespaceAnnotation
      ? [namespaceAnnotation]
      : [...new Set(c.pods.map(p => p.namespace))].sort();
    const namespaces = names.map<NamespaceMeshView>(name => {
      const ns = expected?.namespaces.find(n => n.name === name);
      const pods = c.pods.filter(p => p.namespace === name);
      return {
        name,
        injectionEnabled: ns?.injectionEnabled ?? false,
        ...(ns?.revision ? { revision: ns.revision } : {}),
        ...(ns?.mtlsMode ? { mtlsMode: ns.mtlsMode } : {}),
        pods: pods.length,
        meshedPods: pods.filter(p => p.mesh).length,
      };
    });
    const serving = new Map<string, { versions: Set<string>; pods: number }>();
    const sidecars: Record<SidecarState, number> = {
      meshed: 0,
      'not-meshed': 0,
      outdated: 0,
      'wrong-mesh': 0,
    };
    for (const pod of c.pods) {
      const plane = controlPlanes.find(
        s => s.cluster === c.cluster && s.mesh === pod.mesh,
      );
      sidecars[podSidecar(pod, desired, plane).state] += 1;
      if (!pod.mesh) continue;
      const entry = serving.get(pod.mesh) ?? { versions: new Set(), pods: 0 };
      entry.pods += 1;
      if (pod.proxyVersion) entry.versions.add(pod.proxyVersion);
      serving.set(pod.mesh, entry);
    }
    return {
      cluster: c.cluster,
      ...(c.error ? { error: c.error } : {}),
      ...(expected ? { expected } : {}),
      expectedInstalled: Boolean(expected?.installed),
      namespaces,
      serving: [...serving]
        .map(([mesh, e]) => ({
          mesh,
          versions: [...e.versions].sort(),
          pods: e.pods,
        }))
        .sort((a, b) => a.mesh.localeCompare(b.mesh)),
      pods: c.pods.length,
      sidecars,
    };
  });
}
