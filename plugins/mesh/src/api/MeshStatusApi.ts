import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EntityMeshStatus,
  FleetSummary,
  MeshAdapterInfo,
  MeshClusterInfo,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';

/**
 * Adapters, clusters and mesh status: the read side of `/api/mesh`.
 * @public
 */
export interface MeshStatusApi {
  /** Adapters installed in the backend. */
  getAdapters(): Promise<MeshAdapterInfo[]>;
  /** Clusters from the Kubernetes plugin's configuration, with reachability. */
  getClusters(): Promise<MeshClusterInfo[]>;
  /** Mesh status per cluster and mesh, optionally narrowed to one of each. */
  getStatus(filter?: {
    cluster?: string;
    mesh?: string;
  }): Promise<MeshStatus[]>;
  /**
   * The fleet grid (`GET /fleet`): every cluster by every mesh in one call, with coverage, the
   * latest drift and scan counts and open operations; optionally narrowed to one of each.
   */
  getFleet(filter?: { cluster?: string; mesh?: string }): Promise<FleetSummary>;
  /** An entity's workloads and whether they run in the mesh. */
  getEntityStatus(entity: CompoundEntityRef): Promise<EntityMeshStatus>;
}
