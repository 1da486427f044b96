import type { MeshOperationsApi } from './MeshOperationsApi';
import type { MeshHttp } from './MeshHttp';

/** {@link MeshOperationsApi} over {@link MeshHttp}. */
export class OperationsClient implements MeshOperationsApi {
  constructor(protected readonly http: MeshHttp) {}
}
