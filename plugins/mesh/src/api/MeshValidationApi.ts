import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ClusterFindings,
  EntityFindings,
  FindingSeverity,
  ScanDetail,
  ScanSummary,
} from '@meshstage/plugin-mesh-common';

/**
 * Validation routes of `/api/mesh`: stored scans of clusters and their findings, overall and
 * per catalog entity.
 * @public
 */
export interface MeshValidationApi {
  /**
   * The entity's share of the latest succeeded scan of each of its clusters, with the findings
   * of the previous scan it fixed and what each code means (`codes`).
   */
  getEntityFindings(entity: CompoundEntityRef): Promise<EntityFindings>;
  /** Per cluster, the latest succeeded scan and its findings (optionally of one severity). */
  getLatestFindings(filter?: {
    cluster?: string;
    severity?: FindingSeverity;
  }): Promise<ClusterFindings[]>;
  /**
   * Scans a cluster now and resolves with the stored scan when it has finished (a cluster that
   * cannot be read gives a `failed` scan). Needs `mesh.validation.scan`.
   */
  scanCluster(cluster: string): Promise<ScanSummary>;
  /** Scan history, newest first. */
  listScans(filter?: {
    cluster?: string;
    limit?: number;
  }): Promise<ScanSummary[]>;
  /** One scan with its findings and the previous scan's findings that are gone. */
  getScan(id: string): Promise<ScanDetail>;
}
