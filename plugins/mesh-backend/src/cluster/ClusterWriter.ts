import type { ObjectRef } from '@meshstage/plugin-mesh-common';
import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
} from '@meshstage/plugin-mesh-node';

/** Options of {@link ClusterWriter.apply}. */
export interface ApplyOptions {
  /**
   * Take over fields another field manager owns instead of failing with a conflict. Defaults to
   * `true`: MeshStage's plans are the source of truth for what they apply.
   */
  force?: boolean;
  /** Let the API server validate and compute the result without persisting it. */
  dryRun?: boolean;
}

/** The patch formats {@link ClusterWriter.patch} sends. */
export type PatchType = 'merge' | 'json' | 'strategic';

/** Options of {@link ClusterWriter.delete}. */
export interface DeleteOptions {
  /** How dependents are removed; the API server's default for the kind when absent. */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

/** Options of {@link ClusterWriter.podLogs}. */
export interface PodLogOptions {
  /** The container to read; required by the API server when the pod has several. */
  container?: string;
  /** Only the last lines. */
  tailLines?: number;
}

/**
 * Write access to one cluster, for lifecycle operations and in-cluster benchmark Jobs. Kept apart
 * from {@link ClusterClient} (reads, handed to adapters) so that nothing that only reads can
 * write. Objects are plain JSON as the API server returns them; each attempt of a call is bounded
 * by `mesh.clusterTimeout`, and transient failures are retried under `mesh.clusterRetry`; API
 * errors reject with a {@link KubeApiError}.
 */
export interface ClusterWriter {
  /** The cluster's name in configuration. */
  readonly name: string;
  /** The live object, or `undefined` when it does not exist (404). */
  get<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
  ): Promise<T | undefined>;
  /** Server-side apply under field manager `meshstage`; resolves with the resulting object. */
  apply<T extends KubeObject = KubeObject>(
    object: KubeObject,
    options?: ApplyOptions,
  ): Promise<T>;
  /** Creates an object (POST); a conflict if it exists. */
  create<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T>;
  /**
   * Patches an existing object: `merge` (RFC 7386, an object), `json` (RFC 6902, an array of
   * operations) or `strategic` (Kubernetes strategic merge patch).
   */
  patch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: unknown,
    type: PatchType,
  ): Promise<T>;
  /** Deletes an object; resolves `false` when it was already absent. */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /** Lists objects (every page), with `apiVersion` and `kind` filled in; `[]` for unserved types. */
  list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]>;
  /** A pod's log as text. */
  podLogs(
    namespace: string,
    pod: string,
    options?: PodLogOptions,
  ): Promise<string>;
}
