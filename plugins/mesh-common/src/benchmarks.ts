/**
 * Wire shapes of the benchmark API (`/api/mesh/benchmark/...`): profiles, runs, results,
 * progress events and comparisons. The backend validates profiles with zod and checks at compile
 * time that its schema's output is exactly {@link BenchmarkProfileSpec}; everything else here is
 * what it stores and sends.
 */

/** The wire protocol of a profile. @public */
export type BenchmarkProtocol = 'http1' | 'http2' | 'grpc';

/** loadgen's HTTP engine: `undici` (TLS, HTTP/2) or `net` (plain `http://` HTTP/1.1 only). @public */
export type BenchmarkEngine = 'undici' | 'net';

/** One endpoint of a profile; several endpoints share the load by weight. @public */
export interface BenchmarkEndpoint {
  url: string;
  /** HTTP method; default `GET`, or `POST` when a body is given. */
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Relative share of the requests; default 1. */
  weight?: number;
  /**
   * Names of `headers` whose values are secret (a token, a password): the backend stores them
   * sealed, shows them as `***` and sends them only to the target. Sending `***` back in an
   * update keeps the stored value. Saved profiles only, and not in-cluster runs.
   */
  secretHeaders?: string[];
}

/** Where an in-cluster run's load-generator pods run. @public */
export interface BenchmarkInCluster {
  cluster: string;
  namespace: string;
  pods: number;
}

/** Pass/fail limits of a profile. @public */
export interface BenchmarkThresholds {
  /** A duration such as `50ms`. */
  maxP99?: string;
  /** 0..1. */
  maxErrorRate?: number;
}

/**
 * A validated performance profile (defaults applied), as stored and as run. The fields follow
 * Service Mesh Performance's `PerformanceProfile`; durations are Go-style strings (`10s`,
 * `500ms`, `1m30s`); `rate` 0 means max throughput.
 * @public
 */
export interface BenchmarkProfileSpec {
  name: string;
  description?: string;
  endpoints: BenchmarkEndpoint[];
  protocol: BenchmarkProtocol;
  engine: BenchmarkEngine;
  connections: number;
  rate: number;
  duration?: string;
  requestCount?: number;
  warmup?: string;
  timeout?: string;
  threads: number;
  /** Uniform send-time jitter as a fraction of a connection's interval (rate mode), 0..0.5. */
  jitter: number;
  loadGenerator: 'meshstage';
  entityRef?: string;
  /** A cron expression. */
  schedule?: string;
  inCluster?: BenchmarkInCluster;
  thresholds?: BenchmarkThresholds;
}

/**
 * A profile as clients send it to `POST /benchmark/profiles` (fields with defaults may be left
 * out).
 * @public
 */
export type BenchmarkProfileInput = Omit<
  BenchmarkProfileSpec,
  | 'protocol'
  | 'engine'
  | 'connections'
  | 'rate'
  | 'threads'
  | 'jitter'
  | 'loadGenerator'
  | 'inCluster'
> &
  Partial<
    Pick<
      BenchmarkProfileSpec,
      | 'protocol'
      | 'engine'
      | 'connections'
      | 'rate'
      | 'threads'
      | 'jitter'
      | 'loadGenerator'
    >
  > & {
    inCluster?: { cluster: string; namespace?: string; pods?: number };
  };

/** A stored profile. @public */
export interface BenchmarkProfile extends BenchmarkProfileSpec {
  id: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The last cron slot a run was queued for (ISO), when scheduled. */
  lastScheduledAt?: string;
}

/** Where a run is in its life. Terminal: succeeded, failed, cancelled. @public */
export type BenchmarkRunState =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** Whether a run state is final. @public */
export function isFinalRunState(state: BenchmarkRunState): boolean {
  return state !== 'queued' && state !== 'running';
}

/** What is under test, as the request or the entity's annotations say. @public */
export interface BenchmarkRunTarget {
  mesh?: string;
  meshVersion?: string;
  cluster?: string;
}

/** A benchmark run. @public */
export interface BenchmarkRun extends BenchmarkRunTarget {
  id: string;
  /** The stored profile it came from; absent for inline profiles. Kept after the profile is deleted. */
  profileId?: string;
  entityRef?: string;
  state: BenchmarkRunState;
  /** `operation`: a benchmark step of a lifecycle operation (a canary gate) queued it. */
  trigger: 'manual' | 'schedule' | 'operation';
  /** The profile as it was when the run was queued. */
  profile: BenchmarkProfileSpec;
  createdBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
}

/** `POST /benchmark/runs`: a stored profile or an inline one, and what is under test. @public */
export interface BenchmarkRunRequest extends BenchmarkRunTarget {
  profileId?: string;
  profile?: BenchmarkProfileInput;
}

/** Where and with what a result was measured. @public */
export interface BenchmarkEnvironment {
  /** `in-process` (the backend sent the load) or `in-cluster` (a Job of load-generator pods). */
  runner: string;
  loadgenVersion: string;
  nodeVersion: string;
  hostname: string;
  threads: number;
  /** Load-generator pods of an in-cluster run. */
  pods?: number;
  /**
   * Set when the cluster the run went to only simulates its mesh proxies (the development
   * cluster, kube-sim): no request crossed a sidecar, so differences between meshes are not
   * mesh overhead.
   */
  simulatedProxies?: { cluster: string; reason: string };
}

/** The outcome of the profile's thresholds. @public */
export interface BenchmarkThresholdOutcome {
  passed: boolean;
  /** One line per broken threshold. */
  broken: string[];
}

/** Latency summary, in milliseconds. @public */
export interface BenchmarkLatencySummary {
  min: number;
  mean: number;
  stddev: number;
  p50: number;
  p75: number;
  p90: number;
  p99: number;
  p999: number;
  p9999: number;
  max: number;
}

/** Why requests got no response. @public */
export type BenchmarkErrorKind = 'timeout' | 'reset' | 'refused' | 'other';

/** Request counts of a result. @public */
export interface BenchmarkRequestCounts {
  total: number;
  /** 2xx/3xx responses (gRPC: OK). */
  ok: number;
  /** Transport errors plus other statuses. */
  failed: number;
  /** `total` divided by the measured duration. */
  perSecond: number;
  errorRate: number;
}

/** One measured second. @public */
export interface BenchmarkSecondSample {
  second: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** This second's HDR histogram (stored results only; summaries leave it out). */
  histogram?: string;
}

/** An HDR histogram (µs) in the standard compressed base64 encoding. @public */
export interface BenchmarkEncodedHistogram {
  unit: 'us';
  encoding: 'hdr-compressed-base64';
  data: string;
  /** Rebuilt from bucketed data (imported fortio results) rather than recorded. */
  approximate?: boolean;
}

/** The request side of a result: what was asked for. @public */
export interface BenchmarkRunConfigSummary {
  targets: { url: string; method: string; weight: number }[];
  protocol: 'http/1.1' | 'h2' | 'grpc';
  mode: 'max' | 'rate';
  requestedRps: number;
  connections: number;
  pipelining: number;
  threads: number;
  requestedDurationMs?: number;
  requestedCount?: number;
  warmupMs: number;
  timeoutMs: number;
  jitter: number;
}

/** What a load test measured (loadgen's `LoadResult`). @public */
export interface BenchmarkLoadResult {
  kind: 'meshperf-result';
  version: 1;
  source: 'meshperf' | 'fortio';
  labels?: string;
  startTime: string;
  endTime: string;
  durationMs: number;
  config: BenchmarkRunConfigSummary;
  requests: BenchmarkRequestCounts;
  latencyMs: BenchmarkLatencySummary;
  statusCodes: Record<string, number>;
  errors: Record<BenchmarkErrorKind, number> & { total: number };
  bytes: { sent: number; received: number; headers: number };
  targetCounts: number[];
  sendLagMs?: { p50: number; p99: number; max: number };
  generatorBusy?: number;
  timeSeries: BenchmarkSecondSample[];
  histogram: BenchmarkEncodedHistogram;
  lagHistogram?: BenchmarkEncodedHistogram;
}

/** A run's stored result. @public */
export interface BenchmarkResult {
  runId: string;
  result: BenchmarkLoadResult;
  environment: BenchmarkEnvironment;
  thresholds?: BenchmarkThresholdOutcome;
  createdAt: string;
}

/** `GET /benchmark/results/:runId`: the run and its stored result. @public */
export interface BenchmarkResultResponse extends BenchmarkResult {
  run: BenchmarkRun;
}

/** A result without its histograms: what run listings and the progress stream show. @public */
export interface BenchmarkResultSummary {
  startTime: string;
  endTime: string;
  durationMs: number;
  requestedRps: number;
  actualRps: number;
  requests: BenchmarkRequestCounts;
  latencyMs: BenchmarkLatencySummary;
  statusCodes: Record<string, number>;
  errors: Record<BenchmarkErrorKind, number> & { total: number };
  bytes: { sent: number; received: number; headers: number };
  sendLagMs?: { p50: number; p99: number; max: number };
  generatorBusy?: number;
  timeSeries: Omit<BenchmarkSecondSample, 'histogram'>[];
  environment: BenchmarkEnvironment;
  thresholds?: BenchmarkThresholdOutcome;
}

/** A run as `GET /benchmark/runs` and `GET /benchmark/runs/:id` answer: with its summary once finished. @public */
export interface BenchmarkRunView extends BenchmarkRun {
  result?: BenchmarkResultSummary;
}

/** Progress of a running benchmark, one per measured second (and one per warmup second). @public */
export interface BenchmarkRunProgress {
  /** Measured second this sample covers (0 is the first); negative during warmup. */
  second: number;
  warmingUp: boolean;
  /** Requests completed in this second. */
  requests: number;
  /** Of those, failed. */
  errors: number;
  /** Requests and failures since measuring began. */
  completed: number;
  failed: number;
  /** Completed requests per second so far. */
  ratePerSecond: number;
  /** Latency of the measured requests so far (ms), when the runner reports it (in-process runs). */
  latencyMs?: { p50: number; p99: number; max: number };
}

/**
 * One event of `GET /benchmark/runs/:id/events`: `state` now and on every change, `progress`
 * once a second while it runs in the backend process, then `result` and the final `state`.
 * @public
 */
export type BenchmarkRunEvent =
  | { type: 'state'; run: BenchmarkRun }
  | { type: 'progress'; progress: BenchmarkRunProgress }
  | { type: 'result'; result: BenchmarkResultSummary };

/** Export formats of `GET /benchmark/results/:runId/export`. @public */
export type BenchmarkExportFormat = 'json' | 'fortio' | 'smp';

/** What a difference means. @public */
export type BenchmarkVerdict =
  /** Beyond noise, in the good direction (lower latency, higher throughput, fewer errors). */
  | 'improved'
  /** Beyond noise, in the bad direction. */
  | 'regressed'
  /** Explained by the runs' own variability or below the relative floor. */
  | 'noise'
  /** Too few samples to tell. */
  | 'insufficient-data'
  /** Reported without a noise model (min and max are single extreme values). */
  | 'unjudged';

/** One run's value of a metric and, except for the baseline, its difference. @public */
export interface BenchmarkMetricValue {
  runId: string;
  value: number;
  difference?: {
    /** value - baseline value. */
    absolute: number;
    /** absolute / baseline value; null when the baseline is 0. */
    relative: number | null;
    verdict: BenchmarkVerdict;
    /** The differences noise explains (half-width of the 95% interval), when computed. */
    noise?: number;
    reason: string;
  };
}

/** A row of a comparison. @public */
export interface BenchmarkMetricComparison {
  metric: string;
  unit: 'ms' | 'req/s' | 'ratio';
  lowerIsBetter: boolean;
  values: BenchmarkMetricValue[];
}

/** A compared run, as `GET /benchmark/compare` describes it. @public */
export interface BenchmarkComparedRun extends BenchmarkRunTarget {
  id: string;
  profileName: string;
  state: BenchmarkRunState;
  startTime: string;
  durationMs: number;
  requests: number;
  requestedRps: number;
  perSecondThroughput: { seconds: number; mean: number; stddev: number };
  environment?: BenchmarkEnvironment;
}

/** `GET /benchmark/compare?runs=a,b,...`: the first run is the baseline. @public */
export interface BenchmarkComparison {
  baseline: string;
  runs: BenchmarkComparedRun[];
  metrics: BenchmarkMetricComparison[];
  /**
   * What about the environments limits the comparison (simulated proxies, runs measured from
   * different places); empty when nothing does.
   */
  caveats?: string[];
}
