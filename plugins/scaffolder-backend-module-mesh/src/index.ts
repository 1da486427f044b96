/**
 * MeshStage's scaffolder actions: `mesh:onboard`, `mesh:validate`, `mesh:benchmark` and
 * `mesh:install`, as a backend module of the scaffolder plugin.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMesh as default } from './module';
export { createMeshBenchmarkAction } from './actions/benchmark';
export { createMeshInstallAction } from './actions/install';
export { createMeshOnboardAction } from './actions/onboard';
export { createMeshValidateAction } from './actions/validate';
export type { MeshActionOptions } from './actions/options';
export { MeshApiClient } from './api/MeshApiClient';
export type {
  MeshApiClientOptions,
  MeshClusterInfo,
  MeshValidateRequest,
} from './api/MeshApiClient';
export { MeshApiError } from './api/MeshApiError';
