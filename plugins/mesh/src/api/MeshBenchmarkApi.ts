import type {
  BenchmarkComparison,
  BenchmarkExportFormat,
  BenchmarkProfile,
  BenchmarkProfileInput,
  BenchmarkResultResponse,
  BenchmarkRunEvent,
  BenchmarkRunRequest,
  BenchmarkRunState,
  BenchmarkRunView,
} from '@meshstage/plugin-mesh-common';

/** Filters of {@link MeshBenchmarkApi.listBenchmarkRuns}. @public */
export interface BenchmarkRunFilter {
  profileId?: string;
  /** Canonical or short entity ref (`component:default/echo`). */
  entityRef?: string;
  state?: BenchmarkRunState;
  /** At most this many runs, newest first (backend default when absent). */
  limit?: number;
}

/** A downloaded export. @public */
export interface BenchmarkExport {
  /** The file name the backend suggests (`benchmark-<run>.<format>.json`). */
  filename: string;
  /** The JSON document as text. */
  text: string;
  /** The same, ready for a download link. */
  blob: Blob;
}

/**
 * Benchmark routes of `/api/mesh/benchmark`: profiles, runs with their live event stream,
 * results, exports and comparisons.
 * @public
 */
export interface MeshBenchmarkApi {
  /** Stored profiles; with `entityRef`, that entity's only (global ones have no entityRef). */
  listBenchmarkProfiles(filter?: {
    entityRef?: string;
  }): Promise<BenchmarkProfile[]>;
  getBenchmarkProfile(id: string): Promise<BenchmarkProfile>;
  /** Rejects with the backend's 400 (a `ResponseError` naming the field) when invalid. */
  createBenchmarkProfile(
    profile: BenchmarkProfileInput,
  ): Promise<BenchmarkProfile>;
  updateBenchmarkProfile(
    id: string,
    profile: BenchmarkProfileInput,
  ): Promise<BenchmarkProfile>;
  deleteBenchmarkProfile(id: string): Promise<void>;

  listBenchmarkRuns(filter?: BenchmarkRunFilter): Promise<BenchmarkRunView[]>;
  getBenchmarkRun(id: string): Promise<BenchmarkRunView>;
  /** Queues a run of a stored or inline profile. */
  startBenchmarkRun(request: BenchmarkRunRequest): Promise<BenchmarkRunView>;
  cancelBenchmarkRun(id: string): Promise<BenchmarkRunView>;
  /**
   * Follows a run's Server-Sent Events (`state`, `progress`, `result`, final `state`) until the
   * backend closes the stream or `signal` aborts; resolves then.
   */
  streamBenchmarkRunEvents(
    id: string,
    onEvent: (event: BenchmarkRunEvent) => void,
    signal?: AbortSignal,
  ): Promise<void>;

  /** The run and its full stored result, HDR histogram included. */
  getBenchmarkResult(runId: string): Promise<BenchmarkResultResponse>;
  /** The result as loadgen JSON, fortio JSON or SMP JSON. */
  exportBenchmarkResult(
    runId: string,
    format: BenchmarkExportFormat,
  ): Promise<BenchmarkExport>;
  /** Two to ten runs against the first (the baseline), with the noise verdicts. */
  compareBenchmarkRuns(
    runIds: string[],
    options?: { relativeFloor?: number },
  ): Promise<BenchmarkComparison>;
}
