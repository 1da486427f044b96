import type { MeshValidationApi } from './MeshValidationApi';
import type { MeshHttp } from './MeshHttp';

/** {@link MeshValidationApi} over {@link MeshHttp}. */
export class ValidationClient implements MeshValidationApi {
  constructor(protected readonly http: MeshHttp) {}
}
