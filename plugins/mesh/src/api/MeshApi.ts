import { createApiRef } from '@backstage/core-plugin-api';
import type { MeshStatusApi } from './MeshStatusApi';
import type { MeshOperationsApi } from './MeshOperationsApi';
import type { MeshBenchmarkApi } from './MeshBenchmarkApi';
import type { MeshValidationApi } from './MeshValidationApi';
import type { MeshTopologyApi } from './MeshTopologyApi';

/**
 * The mesh backend's REST API (`/api/mesh`), as the frontend uses it: one interface per area
 * (status, lifecycle operations and drift, benchmarks, validation, topology), each in its own file with
 * its own client class; {@link MeshClient} puts them together.
 * @public
 */
export interface MeshApi
  extends MeshStatusApi,
    MeshOperationsApi,
    MeshBenchmarkApi,
    MeshValidationApi,
    MeshTopologyApi {}

/** @public */
export const meshApiRef = createApiRef<MeshApi>({ id: 'plugin.mesh.service' });
