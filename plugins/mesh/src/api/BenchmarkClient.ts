import type {
  BenchmarkComparison,
  BenchmarkExportFormat,
  BenchmarkProfile,
  BenchmarkProfileInput,
  BenchmarkResultResponse,
  BenchmarkRunEvent,
  BenchmarkRunRequest,
  BenchmarkRunView,
} from '@meshstage/plugin-mesh-common';
import type {
  BenchmarkExport,
  BenchmarkRunFilter,
  MeshBenchmarkApi,
} from './MeshBenchmarkApi';
import type { MeshHttp } from './MeshHttp';
import { readEventStream, type ServerSentEvent } from './eventStream';

const id = (value: string) => encodeURIComponent(value);

/** Parses one run stream frame; unknown events are ignored. */
export function toRunEvent(e: ServerSentEvent): BenchmarkRunEvent | undefined {
  const data = JSON.parse(e.data);
  switch (e.event) {
    case 'state':
      return { type: 'state', run: data };
    case 'progress':
      return { type: 'progress', progress: data };
    case 'result':
      return { type: 'result', result: data };
    default:
      return undefined;
  }
}

/** {@link MeshBenchmarkApi} over {@link MeshHttp}. */
export class BenchmarkClient implements MeshBenchmarkApi {
  constructor(protected readonly http: MeshHttp) {}

  async listBenchmarkProfiles(
    filter: { entityRef?: string } = {},
  ): Promise<BenchmarkProfile[]> {
    return (
      await this.http.get<{ items: BenchmarkProfile[] }>(
        '/benchmark/profiles',
        { entityRef: filter.entityRef || undefined },
      )
    ).items;
  }

  getBenchmarkProfile(profileId: string): Promise<BenchmarkProfile> {
    return this.http.get(`/benchmark/profiles/${id(profileId)}`);
  }

  createBenchmarkProfile(
    profile: BenchmarkProfileInput,
  ): Promise<BenchmarkProfile> {
    return this.http.post('/benchmark/profiles', profile);
  }

  updateBenchmarkProfile(
    profileId: string,
    profile: BenchmarkProfileInput,
  ): Promise<BenchmarkProfile> {
    return this.http.put(`/benchmark/profiles/${id(profileId)}`, profile);
  }

  deleteBenchmarkProfile(profileId: string): Promise<void> {
    return this.http.delete(`/benchmark/profiles/${id(profileId)}`);
  }

  async listBenchmarkRuns(
    filter: BenchmarkRunFilter = {},
  ): Promise<BenchmarkRunView[]> {
    return (
      await this.http.get<{ items: BenchmarkRunView[] }>('/benchmark/runs', {
        profileId: filter.profileId || undefined,
        entityRef: filter.entityRef || undefined,
        state: filter.state,
        limit: filter.limit,
      })
    ).items;
  }

  getBenchmarkRun(runId: string): Promise<BenchmarkRunView> {
    return this.http.get(`/benchmark/runs/${id(runId)}`);
  }

  startBenchmarkRun(request: BenchmarkRunRequest): Promise<BenchmarkRunView> {
    return this.http.post('/benchmark/runs', request);
  }

  cancelBenchmarkRun(runId: string): Promise<BenchmarkRunView> {
    return this.http.post(`/benchmark/runs/${id(runId)}/cancel`);
  }

  async streamBenchmarkRunEvents(
    runId: string,
    onEvent: (event: BenchmarkRunEvent) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    let response: Response;
    try {
      response = await this.http.send(
        'GET',
        `/benchmark/runs/${id(runId)}/events`,
        { headers: { Accept: 'text/event-stream' }, signal },
      );
    } catch (e) {
      if (signal?.aborted) return;
      throw e;
    }
    await readEventStream(
      response,
      e => {
        const event = toRunEvent(e);
        if (event) onEvent(event);
      },
      signal,
    );
  }

  getBenchmarkResult(runId: string): Promise<BenchmarkResultResponse> {
    return this.http.get(`/benchmark/results/${id(runId)}`);
  }

  async exportBenchmarkResult(
    runId: string,
    format: BenchmarkExportFormat,
  ): Promise<BenchmarkExport> {
    const response = await this.http.send(
      'GET',
      `/benchmark/results/${id(runId)}/export`,
      { query: { format } },
    );
    const text = await response.text();
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename =
      /filename="([^"]+)"/.exec(disposition)?.[1] ??
      `benchmark-${runId}.${format}.json`;
    return {
      filename,
      text,
      blob: new Blob([text], { type: 'application/json' }),
    };
  }

  compareBenchmarkRuns(
    runIds: string[],
    options: { relativeFloor?: number } = {},
  ): Promise<BenchmarkComparison> {
    return this.http.get('/benchmark/compare', {
      runs: runIds.join(','),
      relativeFloor: options.relativeFloor,
    });
  }
}
