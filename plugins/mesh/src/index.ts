/**
 * MeshStage frontend plugin: the entity Mesh tab and the mesh API client.
 *
 * Classic apps use the exports here; apps on the new frontend system use
 * `@meshstage/plugin-mesh/alpha`.
 *
 * @packageDocumentation
 */
export {
  meshPlugin,
  EntityMeshContent,
  EntityPerformanceContent,
  EntityValidationContent,
  EntityTopologyContent,
  EntityMeshStatusCard,
  MeshFleetPage,
} from './plugin';
export { meshFleetRouteRef } from './routes';
export { meshApiRef, MeshClient } from './api';
export type {
  MeshApi,
  MeshTopologyApi,
  TopologyRequestOptions,
  TopologyRequestScope,
} from './api';

export { isMeshAvailable } from '@meshstage/plugin-mesh-common';
