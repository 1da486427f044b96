/**
 * What an adapter reports about itself (`GET /api/mesh/adapters`).
 * @public
 */
export interface MeshAdapterInfo {
  /** Stable id, used in URLs and in the `meshstage.io/mesh` annotation, e.g. `istio`. */
  id: string;
  displayName: string;
  /** Versions the adapter can install or upgrade to, oldest first. */
  supportedVersions: string[];
}

/**
 * A cluster as MeshStage sees it (`GET /api/mesh/clusters`): the clusters come from the
 * Kubernetes plugin's configuration.
 * @public
 */
export interface MeshClusterInfo {
  name: string;
  /** Display name (`title` in the Kubernetes plugin's config), when configured. */
  title?: string;
  url: string;
  /** Whether the API server answered `/version`. */
  reachable: boolean;
  /** The API server's gitVersion when reachable, e.g. `v1.31.4`. */
  serverVersion?: string;
  /** Why the cluster could not be reached. */
  error?: string;
}

/** One control-plane component (a Deployment) of a mesh. @public */
export interface MeshComponentStatus {
  name: string;
  namespace: string;
  /** The version this component runs, from its image tag. */
  version?: string;
  /** Istio revision (`istio.io/rev`), when the mesh has revisions. */
  revision?: string;
  replicas: number;
  readyReplicas: number;
  healthy: boolean;
}

/** A namespace and whether a mesh injects its pods. @public */
export interface MeshNamespaceStatus {
  name: string;
  /** True when the namespace is labelled or annotated for this mesh's injection. */
  injectionEnabled: boolean;
  /** The revision it is bound to (Istio `istio.io/rev`), if any. */
  revision?: string;
  pods: number;
  meshedPods: number;
}

/**
 * The state of one mesh on one cluster (`GET /api/mesh/status`).
 * @public
 */
export interface MeshStatus {
  mesh: string;
  cluster: string;
  /** True when the mesh's control plane was found on the cluster. */
  installed: boolean;
  /** Control-plane versions found (several during a canary upgrade). */
  versions: string[];
  revisions: string[];
  components: MeshComponentStatus[];
  /** Namespaces that are injected or hold meshed pods. */
  namespaces: MeshNamespaceStatus[];
  /** Set when the status could not be read. */
  error?: string;
}

/** A container of a pod, as the entity status shows it. @public */
export interface MeshWorkloadContainer {
  name: string;
  image: string;
  /** True for a mesh proxy (sidecar) container. */
  proxy: boolean;
}

/** One pod of an entity's workloads. @public */
export interface MeshPodStatus {
  name: string;
  namespace: string;
  phase: string;
  ready: boolean;
  /** The mesh whose proxy runs in the pod, if any. */
  mesh?: string;
  proxyVersion?: string;
  containers: MeshWorkloadContainer[];
}

/** An entity's workloads on one cluster, and whether they are in the mesh. @public */
export interface EntityMeshClusterStatus {
  cluster: string;
  pods: MeshPodStatus[];
  meshedPods: number;
  error?: string;
}

/**
 * The mesh view of one catalog entity (`GET /api/mesh/entity/:kind/:namespace/:name/status`).
 * @public
 */
export interface EntityMeshStatus {
  entityRef: string;
  /** The mesh the entity expects (`meshstage.io/mesh`), if annotated. */
  desiredMesh?: string;
  labelSelector: string;
  clusters: EntityMeshClusterStatus[];
  /**
   * The meshes whose proxies run in the entity's pods, across clusters, sorted. Compare with
   * `desiredMesh` to tell whether the entity is where it should be.
   */
  runningMeshes?: string[];
}
