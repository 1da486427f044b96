import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EntityMeshStatus,
  FleetSummary,
  MeshAdapterInfo,
  MeshClusterInfo,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import type { MeshStatusApi } from './MeshStatusApi';
import { entityPath, type MeshHttp } from './MeshHttp';

/** {@link MeshStatusApi} over {@link MeshHttp}. */
export class StatusClient implements MeshStatusApi {
  constructor(private readonly http: MeshHttp) {}

  async getAdapters(): Promise<MeshAdapterInfo[]> {
    return (await this.http.get<{ items: MeshAdapterInfo[] }>('/adapters'))
      .items;
  }

  async getClusters(): Promise<MeshClusterInfo[]> {
    return (await this.http.get<{ items: MeshClusterInfo[] }>('/clusters'))
      .items;
  }

  async getStatus(
    filter: { cluster?: string; mesh?: string } = {},
  ): Promise<MeshStatus[]> {
    return (
      await this.http.get<{ items: MeshStatus[] }>('/status', {
        cluster: filter.cluster || undefined,
        mesh: filter.mesh || undefined,
      })
    ).items;
  }

  getFleet(
    filter: { cluster?: string; mesh?: string } = {},
  ): Promise<FleetSummary> {
    return this.http.get<FleetSummary>('/fleet', {
      cluster: filter.cluster || undefined,
      mesh: filter.mesh || undefined,
    });
  }

  getEntityStatus(entity: CompoundEntityRef): Promise<EntityMeshStatus> {
    return this.http.get<EntityMeshStatus>(
      `/entity/${entityPath(entity)}/status`,
    );
  }
}
