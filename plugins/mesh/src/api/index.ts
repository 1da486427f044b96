export { meshApiRef } from './MeshApi';
export type { MeshApi } from './MeshApi';
export type { MeshStatusApi } from './MeshStatusApi';
export type { MeshOperationsApi } from './MeshOperationsApi';
export type { MeshBenchmarkApi } from './MeshBenchmarkApi';
export type { MeshValidationApi } from './MeshValidationApi';
export type {
  MeshTopologyApi,
  TopologyRequestOptions,
  TopologyRequestScope,
} from './MeshTopologyApi';
export { MeshClient } from './MeshClient';
export { MeshHttp } from './MeshHttp';
export { readEventStream, ServerSentEventParser } from './eventStream';
export type { ServerSentEvent } from './eventStream';
