import type {
  LifecycleRequest,
  MeshStatus,
  Plan,
  ResolvedCanaryGate,
} from '@meshstage/plugin-mesh-common';
import type { KubeObject, MeshClusterView } from './kube';
import type { Analyzer } from './analysis';
import type { SampleApp } from './sampleApps';
import type { PlanSecrets } from './secrets';
import type { MeshTopologyRules, MeshTrafficMetrics } from './topology';

/**
 * What {@link MeshAdapter.detect} reports: a {@link @meshstage/plugin-mesh-common#MeshStatus}
 * without the fields the backend fills in itself (which mesh, which cluster, and the error when
 * detection failed).
 * @public
 */
export type MeshDetection = Omit<
  MeshStatus,
  'mesh' | 'cluster' | 'error' | 'conflicts'
>;

/** Whether a namespace is set up for a mesh's sidecar injection. @public */
export interface NamespaceInjection {
  enabled: boolean;
  /** The control-plane revision the namespace is bound to, for meshes with revisions (Istio). */
  revision?: string;
}

/**
 * How a mesh puts its proxies into workloads, so that the backend can tell, without knowing the
 * mesh, which namespaces are onboarded and which pod containers are this mesh's proxies.
 * @public
 */
export interface MeshInjection {
  /**
   * Reads a Namespace's labels/annotations the way the mesh's injector does. Pure: no I/O.
   */
  namespaceEnabled(namespace: KubeObject): NamespaceInjection;
  /**
   * Names of the proxy containers this mesh injects (e.g. `istio-proxy`). A pod running one of
   * them, as a container or as a native sidecar, is in this mesh; the container's image tag is
   * the proxy version.
   */
  readonly proxyContainerNames: readonly string[];
}

/**
 * What an adapter may read while planning: the cluster (read-only) and its own detection of it,
 * so that a plan is a pure function of the request and this snapshot.
 * @public
 */
export interface PlanContext {
  /** The target cluster, read-only (e.g. to find the Deployments of a namespace to restart). */
  readonly cluster: MeshClusterView;
  /** The adapter's own `detect()` result for this cluster, taken just before planning. */
  readonly detection: MeshDetection;
  /**
   * For rollbacks: the detection recorded before the operation being undone, so the adapter
   * knows which versions, revisions and namespace bindings to restore.
   */
  readonly previousDetection?: MeshDetection;
  /**
   * ISO timestamp written into restart annotations (`kubectl.kubernetes.io/restartedAt`);
   * passed in rather than read from the clock so that plans are reproducible in tests.
   */
  readonly now?: string;
  /**
   * Where the adapter puts private material it generates while planning (identity keys): the
   * plan shows `<redacted>` in their place and the backend fills them in when it applies the
   * Secret, for this operation only (see {@link plannedSecret}). Absent in callers that cannot
   * keep them; an adapter that needs it then refuses to plan.
   */
  readonly secrets?: PlanSecrets;
  /**
   * A canary upgrade's performance gate (`request.gate`) as the backend resolved it: the
   * namespace to move first and the benchmark profile as it will run. An adapter that supports
   * gates puts {@link canaryBenchmarkStep}s and a {@link canaryGateStep} into its plan; the
   * backend refuses a gated request whose plan has no gate step.
   */
  readonly canaryGate?: ResolvedCanaryGate;
}

/**
 * The contract between the mesh backend and one service mesh. The backend knows meshes only
 * through this interface; each `@meshstage/plugin-mesh-backend-module-<mesh>` registers one with
 * {@link meshAdaptersExtensionPoint}.
 *
 * @public
 */
export interface MeshAdapter {
  /**
   * Stable id: lower-case letters, digits and dashes, e.g. `istio`. Used in URLs, in the
   * `meshstage.io/mesh` annotation and as `MeshStatus.mesh`.
   */
  readonly id: string;
  /** Human-readable name, e.g. `Istio`. */
  readonly displayName: string;
  /** Versions the adapter can install or upgrade to, oldest first. */
  supportedVersions(): string[];
  /**
   * Finds the mesh on a cluster: control-plane components and their health, versions, revisions,
   * and which namespaces are injected. Reads only through `cluster`; a rejection is reported as
   * this cluster's error for this mesh. A mesh that is not installed resolves with
   * `installed: false`, not a rejection.
   */
  detect(cluster: MeshClusterView): Promise<MeshDetection>;
  /** How the mesh injects its proxies. */
  readonly injection: MeshInjection;
  /**
   * This mesh's validation rules. Optional so that adapters without rules keep compiling; the
   * validation engine runs the generic rules for every mesh anyway.
   */
  analyzers?(): Analyzer[];
  /**
   * Turns a lifecycle request into an ordered plan (apply, patch, delete, wait). Reads only
   * through `ctx`; rejects with a message for the user when the request cannot be planned (an
   * unsupported version, onboarding before install, nothing to roll back). Optional so that
   * detection-only adapters keep compiling; the backend refuses lifecycle requests for them.
   */
  plan?(request: LifecycleRequest, ctx: PlanContext): Promise<Plan>;
  /**
   * Sample applications the adapter can deploy (`deploy-sample` requests, planned with
   * {@link planSampleApp}).
   */
  sampleApps?(): SampleApp[];
  /**
   * How the mesh's routing configuration and standard metrics become topology edges. Optional:
   * without it the graph still has Services, workloads and the catalog's relations.
   */
  readonly topology?: MeshTopologyRules;
  /**
   * The mesh's standard request metrics (names, labels, PromQL), for traffic edges when a
   * Prometheus source is configured (`mesh.metrics.prometheus`).
   */
  readonly trafficMetrics?: MeshTrafficMetrics;
}
