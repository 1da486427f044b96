import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ClusterFindings,
  EntityFindings,
  FindingSeverity,
  ScanDetail,
  ScanSummary,
} from '@meshstage/plugin-mesh-common';
import type { MeshValidationApi } from './MeshValidationApi';
import { entityPath, type MeshHttp } from './MeshHttp';

/** {@link MeshValidationApi} over {@link MeshHttp}. */
export class ValidationClient implements MeshValidationApi {
  constructor(protected readonly http: MeshHttp) {}

  getEntityFindings(entity: CompoundEntityRef): Promise<EntityFindings> {
    return this.http.get<EntityFindings>(
      `/entity/${entityPath(entity)}/findings`,
    );
  }

  async getLatestFindings(
    filter: { cluster?: string; severity?: FindingSeverity } = {},
  ): Promise<ClusterFindings[]> {
    return (
      await this.http.get<{ items: ClusterFindings[] }>(
        '/validation/findings',
        {
          cluster: filter.cluster || undefined,
          severity: filter.severity,
        },
      )
    ).items;
  }

  scanCluster(cluster: string): Promise<ScanSummary> {
    return this.http.post<ScanSummary>('/validation/scans', { cluster });
  }

  async listScans(
    filter: { cluster?: string; limit?: number } = {},
  ): Promise<ScanSummary[]> {
    return (
      await this.http.get<{ items: ScanSummary[] }>('/validation/scans', {
        cluster: filter.cluster || undefined,
        limit: filter.limit,
      })
    ).items;
  }

  getScan(id: string): Promise<ScanDetail> {
    return this.http.get<ScanDetail>(
      `/validation/scans/${encodeURIComponent(id)}`,
    );
  }
}
