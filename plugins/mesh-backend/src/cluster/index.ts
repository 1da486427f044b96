export { ClusterClients } from './ClusterClients';
export { describeCluster } from './describeCluster';
export { withTimeout } from './withTimeout';
export type { ClusterClient, ClusterConfig } from './types';
export type {
  ApplyOptions,
  ClusterWriter,
  DeleteOptions,
  PatchType,
  PodLogOptions,
} from './ClusterWriter';
export { KubeApiError } from './ClusterWriterError';
export { collectRetries } from './retryReport';
export type { RetriedRequest } from './retryReport';
export {
  KubeClusterWriter,
  MESHSTAGE_FIELD_MANAGER,
} from './ClusterWriterKube';
