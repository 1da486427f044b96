import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  EntityMeshStatus,
  MeshAdapterInfo,
  MeshClusterInfo,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import type { MeshApi } from './MeshApi';

/**
 * {@link MeshApi} over HTTP: finds the backend with the discovery API and calls it with the
 * fetch API, so requests carry the user's Backstage token.
 * @public
 */
export class MeshClient implements MeshApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getAdapters(): Promise<MeshAdapterInfo[]> {
    return (await this.get<{ items: MeshAdapterInfo[] }>('/adapters')).items;
  }

  async getClusters(): Promise<MeshClusterInfo[]> {
    return (await this.get<{ items: MeshClusterInfo[] }>('/clusters')).items;
  }

  async getStatus(
    filter: { cluster?: string; mesh?: string } = {},
  ): Promise<MeshStatus[]> {
    const query = new URLSearchParams();
    if (filter.cluster) query.set('cluster', filter.cluster);
    if (filter.mesh) query.set('mesh', filter.mesh);
    const qs = query.toString();
    return (
      await this.get<{ items: MeshStatus[] }>(`/status${qs ? `?${qs}` : ''}`)
    ).items;
  }

  async getEntityStatus(entity: CompoundEntityRef): Promise<EntityMeshStatus> {
    const path = [entity.kind, entity.namespace, entity.name]
      .map(encodeURIComponent)
      .join('/');
    return this.get<EntityMeshStatus>(`/entity/${path}/status`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mesh');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
