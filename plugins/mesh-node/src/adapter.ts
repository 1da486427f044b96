import type { MeshStatus } from '@meshstage/plugin-mesh-common';
import type { KubeObject, MeshClusterView } from './kube';
import type { Analyzer } from './analysis';

/**
 * What {@link MeshAdapter.detect} reports: a {@link @meshstage/plugin-mesh-common#MeshStatus}
 * without the fields the backend fills in itself (which mesh, which cluster, and the error when
 * detection failed).
 * @public
 */
export type MeshDetection = Omit<MeshStatus, 'mesh' | 'cluster' | 'error'>;

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
 * The contract between the mesh backend and one service mesh. The backend knows meshes only
 * through this interface; each `@meshstage/plugin-mesh-backend-module-<mesh>` registers one with
 * {@link meshAdaptersExtensionPoint}.
 *
 * @remarks
 * Later lifecycle work extends this contract with `plan()`, `analyzers()` and `sampleApps()`.
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
}
