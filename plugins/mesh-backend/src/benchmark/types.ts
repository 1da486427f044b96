import type { LoadResult } from '@meshstage/loadgen';
import type { ProfileSpec } from './profileSchema';

/** Where a run is in its life. Terminal: succeeded, failed, cancelled. */
export type RunState =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/** Whether a state is final. */
export function isFinalState(state: RunState): boolean {
  return state !== 'queued' && state !== 'running';
}

/** What is under test, as the request or the entity's annotations say. */
export interface RunTarget {
  mesh?: string;
  meshVersion?: string;
  cluster?: string;
}

/** A benchmark run. */
export interface BenchmarkRun extends RunTarget {
  id: string;
  /** The stored profile it came from; absent for inline profiles. Kept after the profile is deleted. */
  profileId?: string;
  entityRef?: string;
  state: RunState;
  trigger: 'manual' | 'schedule';
  /** The profile as it was when the run was queued. */
  profile: ProfileSpec;
  createdBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: string;
}

/** Where and with what a result was measured. */
export interface BenchmarkEnvironment {
  runner: string;
  loadgenVersion: string;
  nodeVersion: string;
  hostname: string;
  threads: number;
  /** Load-generator pods of an in-cluster run. */
  pods?: number;
}

/** The outcome of the profile's thresholds. */
export interface ThresholdOutcome {
  passed: boolean;
  /** One line per broken threshold. */
  broken: string[];
}

/** A run's stored result. */
export interface BenchmarkResult {
  runId: string;
  /** loadgen's result: percentiles, rates, status codes, errors, bytes, per-second series, HDR histograms. */
  result: LoadResult;
  environment: BenchmarkEnvironment;
  thresholds?: ThresholdOutcome;
  createdAt: string;
}

/** Progress of a running benchmark, one per measured second (and one per warmup second). */
export interface RunProgress {
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
  /**
   * Latency of the measured requests so far (ms), when the runner reports it (the in-process
   * runner does; in-cluster pods report only when they finish).
   */
  latencyMs?: { p50: number; p99: number; max: number };
}

/**
 * Executes a profile somewhere: in this process, or (later) as a Kubernetes Job of load-generator
 * pods. Aborting `signal` stops the load at once; the runner then resolves with what was measured.
 */
export interface BenchmarkRunner {
  /** Recorded in the result's environment. */
  readonly id: string;
  run(
    profile: ProfileSpec,
    signal: AbortSignal,
    onProgress: (progress: RunProgress) => void,
    context?: { labels?: string; runId?: string },
  ): Promise<{ result: LoadResult; environment: BenchmarkEnvironment }>;
}
