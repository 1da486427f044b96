import type { EntityOnboarding } from './onboarding';

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
  /** Whether the adapter plans lifecycle operations (install, upgrade, ...). */
  lifecycle: boolean;
  /** Sample applications it can deploy (`deploy-sample` operations). */
  sampleApps: MeshSampleAppInfo[];
  /**
   * The installable versions, oldest first, each with where its objects come from: the vendor's
   * Helm charts (`helm`, with the chart repository) or the adapter's built-in renderer.
   * `supportedVersions` lists the same versions.
   */
  versions?: MeshInstallableVersionInfo[];
  /** How the adapter's control plane is rendered (`mesh.charts.source`) and its chart sources. */
  charts?: MeshAdapterChartsInfo;
}

/** An installable mesh version and its source. @public */
export interface MeshInstallableVersionInfo {
  version: string;
  source: 'helm' | 'builtin';
  /** For `helm`: the chart source id (`release`, `stable`, `edge`) and its repository. */
  chartSource?: string;
  repository?: string;
  /** For `helm`: each chart's version for this mesh version. */
  charts?: Array<{ name: string; version: string }>;
}

/** An adapter's chart configuration as `GET /adapters` shows it. @public */
export interface MeshAdapterChartsInfo {
  source: 'helm' | 'builtin';
  /** For `helm`: the repositories read, when their index was read and the last error. */
  chartSources?: Array<{
    id: string;
    repository: string;
    via: 'config' | 'mirror' | 'vendor';
    charts: string[];
    indexReadAt?: string;
    error?: string;
  }>;
}

/** A sample application an adapter offers. @public */
export interface MeshSampleAppInfo {
  id: string;
  displayName: string;
  description: string;
  defaultNamespace: string;
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
  /**
   * What the backend's in-memory view of the cluster holds (absent when reads go to the cluster
   * directly, `mesh.watchCache.enabled: false`).
   */
  view?: MeshClusterViewInfo;
}

/** The watch-kept view of one cluster: the resource types read so far and their size. @public */
export interface MeshClusterViewInfo {
  objects: number;
  /** Approximate memory: the JSON length of the objects held. */
  bytes: number;
  resources: Array<{
    /** `plural.version.group`, e.g. `deployments.v1.apps`; `pods.v1` for the core group. */
    resource: string;
    /** Set when only one namespace is watched (a service account without cluster-wide reads). */
    namespace?: string;
    /** `synced`, `syncing`, `absent` (not served), `failed`, `forbidden` (the list was refused: 403), `over-limit` or `stopped`. */
    state: string;
    objects: number;
    bytes: number;
    resourceVersion?: string;
    /** Lists so far: the first, and one after each 410 Gone. */
    relists: number;
    /** Watches resumed after they ended. */
    reconnects: number;
    error?: string;
  }>;
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
  /**
   * A namespace-wide mTLS mode that overrides the mesh-wide one (an Istio PeerAuthentication
   * without selector in the namespace, a Linkerd `config.linkerd.io/default-inbound-policy`
   * annotation).
   */
  mtlsMode?: MeshMtlsMode;
}

/**
 * How a mesh's proxies treat plain-text traffic: `STRICT` accepts mutual TLS only, `PERMISSIVE`
 * accepts both, `DISABLE` turns mutual TLS off.
 * @public
 */
export type MeshMtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** The mesh-wide mTLS mode and where it comes from. @public */
export interface MeshMtlsStatus {
  mode: MeshMtlsMode;
  /** E.g. `PeerAuthentication istio-system/default`, or the mesh's default when nothing sets it. */
  source: string;
}

/**
 * A clash between meshes installed side by side on one cluster: two injectors enabled on one
 * namespace, or a pod running two meshes' proxies.
 * @public
 */
export interface MeshConflict {
  type: 'namespace-multiple-injectors' | 'pod-multiple-proxies';
  namespace: string;
  /** The pod, for `pod-multiple-proxies`. */
  pod?: string;
  /** The meshes involved, sorted. */
  meshes: string[];
  message: string;
}

/** An Istio revision tag (e.g. `prod-stable`) and the revision it points at. @public */
export interface MeshRevisionTag {
  tag: string;
  revision: string;
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
  /** Mesh-wide mutual TLS, when the mesh is installed and the adapter reads it. */
  mtls?: MeshMtlsStatus;
  /** Revision tags (Istio), sorted by tag. */
  revisionTags?: MeshRevisionTag[];
  /** Conflicts with other meshes on the same cluster that involve this mesh. */
  conflicts?: MeshConflict[];
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
  /**
   * The catalog-driven onboarding's view of the entity; absent when it neither asks for a mesh
   * nor was onboarded by MeshStage, or when the backend does not compare.
   */
  onboarding?: EntityOnboarding;
  /**
   * Why the onboarding state could not be worked out (e.g. the catalog did not answer); the rest
   * of the status does not depend on it.
   */
  onboardingError?: string;
}
