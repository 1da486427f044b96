import type { BenchmarkResultSummary } from '@meshstage/plugin-mesh-common';

/** The limits `mesh:benchmark` fails a step on. */
export interface BenchmarkLimits {
  /** Highest acceptable p99 latency, in milliseconds. */
  maxP99Ms?: number;
  /** Highest acceptable share of failed requests, 0..1. */
  maxErrorRate?: number;
}

const percent = (ratio: number) => `${Number((ratio * 100).toFixed(3))}%`;

/**
 * The thresholds a run's result breaks, one readable line each: the action's own limits and the
 * ones the profile carries (which the backend already judged, in `result.thresholds`). Empty when
 * everything is within bounds. Pure.
 */
export function brokenThresholds(
  result: BenchmarkResultSummary,
  limits: BenchmarkLimits,
): string[] {
  const broken: string[] = [];
  const p99 = result.latencyMs.p99;
  if (limits.maxP99Ms !== undefined && p99 > limits.maxP99Ms) {
    broken.push(
      `p99 latency ${Number(p99.toFixed(3))} ms is above the limit of ${
        limits.maxP99Ms
      } ms`,
    );
  }
  const errorRate = result.requests.errorRate;
  if (limits.maxErrorRate !== undefined && errorRate > limits.maxErrorRate) {
    broken.push(
      `error rate ${percent(errorRate)} (${result.requests.failed} of ${
        result.requests.total
      } requests failed) is above the limit of ${percent(limits.maxErrorRate)}`,
    );
  }
  for (const line of result.thresholds?.broken ?? []) {
    broken.push(`profile threshold: ${line}`);
  }
  return broken;
}
