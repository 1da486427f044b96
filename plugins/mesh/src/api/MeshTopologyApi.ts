import type { TopologyGraph } from '@meshstage/plugin-mesh-common';

/**
 * What a topology graph is asked for: an entity's neighbourhood (`entityRef` as
 * `kind:namespace/name`), or a cluster, optionally narrowed to one namespace.
 * @public
 */
export type TopologyRequestScope =
  | { entityRef: string }
  | { cluster: string; namespace?: string };

/** How far and over which window (`GET /topology` query). @public */
export interface TopologyRequestOptions {
  /** Hops out from the entity's nodes, 1 to 5 (the backend's default is 1). */
  depth?: number;
  /** The traffic window, e.g. `5m`. */
  window?: string;
  /** At most this many nodes (the backend truncates and says so). */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * The topology route of `/api/mesh`: workloads, services, gateways and external hosts with the
 * edges between them, from routing configuration and observed traffic.
 * @public
 */
export interface MeshTopologyApi {
  getTopology(
    scope: TopologyRequestScope,
    options?: TopologyRequestOptions,
  ): Promise<TopologyGraph>;
}
