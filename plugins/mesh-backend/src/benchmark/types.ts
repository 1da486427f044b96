import type { LoadResult } from '@meshstage/loadgen/model';
import type {
  BenchmarkLoadResult,
  BenchmarkResult as BenchmarkResultWire,
  BenchmarkRunProgress,
  BenchmarkRunState,
  BenchmarkEnvironment,
} from '@meshstage/plugin-mesh-common';
import type { ProfileSpec } from './profileSchema';

// The wire types are defined once, in mesh-common (shared with the frontend).
export type {
  BenchmarkEnvironment,
  BenchmarkRun,
  BenchmarkRunTarget as RunTarget,
  BenchmarkThresholdOutcome as ThresholdOutcome,
} from '@meshstage/plugin-mesh-common';
export { isFinalRunState as isFinalState } from '@meshstage/plugin-mesh-common';

/** Where a run is in its life. Terminal: succeeded, failed, cancelled. */
export type RunState = BenchmarkRunState;

/** Progress of a running benchmark, one per measured second (and one per warmup second). */
export type RunProgress = BenchmarkRunProgress;

/** A run's stored result, with loadgen's own result type. */
export interface BenchmarkResult extends Omit<BenchmarkResultWire, 'result'> {
  /** loadgen's result: percentiles, rates, status codes, errors, bytes, per-second series, HDR histograms. */
  result: LoadResult;
}

/** loadgen's result is what the wire type describes (checked at compile time). */
type LoadResultIsWireResult = LoadResult extends BenchmarkLoadResult
  ? BenchmarkLoadResult extends LoadResult
    ? true
    : never
  : never;
const loadResultMatches: LoadResultIsWireResult = true;
void loadResultMatches;

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
