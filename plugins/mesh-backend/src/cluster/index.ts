export { ClusterClients } from './ClusterClients';
export { describeCluster } from './describeCluster';
export { withTimeout } from './withTimeout';
export type { ClusterClient, ClusterConfig } from './types';
