import type { MeshBenchmarkApi } from './MeshBenchmarkApi';
import type { MeshHttp } from './MeshHttp';

/** {@link MeshBenchmarkApi} over {@link MeshHttp}. */
export class BenchmarkClient implements MeshBenchmarkApi {
  constructor(protected readonly http: MeshHttp) {}
}
