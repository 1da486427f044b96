/**
 * Pure views of benchmark runs: live progress series, the per-profile trend of p99 and
 * throughput, and run labels.
 */
import type {
  BenchmarkRunProgress,
  BenchmarkRunView,
} from '@meshstage/plugin-mesh-common';

/** A point of the live progress chart. */
export interface ProgressPoint {
  second: number;
  warmingUp: boolean;
  /** Requests completed in that second. */
  requestsPerSecond: number;
  errors: number;
  /** Latency of the measured requests so far, when the runner reports it. */
  p50?: number;
  p99?: number;
}

/** Progress samples as chart points, one per second (a repeated second keeps the last sample). */
export function progressSeries(
  samples: BenchmarkRunProgress[],
): ProgressPoint[] {
  const bySecond = new Map<number, ProgressPoint>();
  for (const s of samples) {
    bySecond.set(s.second, {
      second: s.second,
      warmingUp: s.warmingUp,
      requestsPerSecond: s.requests,
      errors: s.errors,
      ...(s.latencyMs ? { p50: s.latencyMs.p50, p99: s.latencyMs.p99 } : {}),
    });
  }
  return [...bySecond.values()].sort((a, b) => a.second - b.second);
}

/** A point of a profile's trend: one finished run. */
export interface TrendPoint {
  runId: string;
  /** ISO time the run was created. */
  time: string;
  label: string;
  mesh: string;
  p99: number;
  throughput: number;
}

/** What a run measured: its mesh and version, or "no mesh" for a baseline. */
export function runTargetLabel(run: {
  mesh?: string;
  meshVersion?: string;
}): string {
  if (!run.mesh) return 'no mesh';
  return run.meshVersion ? `${run.mesh} ${run.meshVersion}` : run.mesh;
}

/** A short, stable name for a run: its first id segment. */
export function shortRunId(id: string): string {
  return id.split('-')[0];
}

/** The trend of p99 and throughput of a profile's succeeded runs, oldest first. */
export function trendSeries(
  runs: BenchmarkRunView[],
  profileId: string,
): TrendPoint[] {
  return runs
    .filter(
      r => r.profileId === profileId && r.state === 'succeeded' && r.result,
    )
    .sort(
      (a, b) =>
        a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    )
    .map(r => ({
      runId: r.id,
      time: r.createdAt,
      label: `${r.createdAt.slice(0, 16).replace('T', ' ')} (${shortRunId(
        r.id,
      )})`,
      mesh: runTargetLabel(r),
      p99: r.result!.latencyMs.p99,
      throughput: r.result!.actualRps,
    }));
}

/** Whether runs can be compared: two to ten, each with a result. */
export function compareSelection(
  runs: BenchmarkRunView[],
  selected: string[],
): { ok: boolean; reason?: string } {
  if (selected.length < 2) {
    return { ok: false, reason: 'Select two or more finished runs to compare' };
  }
  if (selected.length > 10) {
    return { ok: false, reason: 'Compare at most ten runs at a time' };
  }
  const missing = selected.filter(id => !runs.find(r => r.id === id)?.result);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `Run ${missing.map(shortRunId).join(', ')} has no result`,
    };
  }
  return { ok: true };
}
