import type { MeshClusterView } from '@meshstage/plugin-mesh-node';

/**
 * One cluster from the Kubernetes plugin's configuration (`kubernetes.clusterLocatorMethods`
 * entries of `type: config`), with the fields MeshStage uses.
 */
export interface ClusterConfig {
  name: string;
  title?: string;
  url: string;
  authProvider?: string;
  serviceAccountToken?: string;
  skipTLSVerify: boolean;
  caData?: string;
  caFile?: string;
}

/**
 * Read access to one cluster: what adapters get (a {@link MeshClusterView}) plus the server
 * version probe. Every call is bounded by `mesh.clusterTimeout`.
 */
export interface ClusterClient extends MeshClusterView {
  /** The API server URL from config, for display. */
  readonly url: string;
  /** Display name from config, if any. */
  readonly title?: string;
  /** The API server's `gitVersion`, e.g. `v1.31.4`. */
  serverVersion(): Promise<string>;
  /**
   * For clients reading from a watched view: a token that changes whenever anything the view
   * answers could, so a reader may keep what it derives from the reads (an index, a comparison)
   * until it moves; `undefined` while the view is not in sync. Clients that read the cluster
   * directly do not have it: derive again on each read.
   */
  viewVersion?(): string | undefined;
}
