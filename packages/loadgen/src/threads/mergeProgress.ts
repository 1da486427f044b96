import type { Progress, ProgressLatency } from '../types';

/**
 * One progress snapshot from the threads' latest ones: counts add up; latency is approximate
 * (p50 weighted by each thread's requests, p99 and max the highest thread's), since exact
 * percentiles need the histograms, which are merged only for the final result.
 */
export function mergeProgress(threads: Progress[]): Progress {
  const completed = threads.reduce((s, p) => s + p.completed, 0);
  const withLatency = threads.filter(
    (p): p is Progress & { latencyMs: ProgressLatency } =>
      p.latencyMs !== undefined && p.completed > 0,
  );
  const weight = withLatency.reduce((s, p) => s + p.completed, 0);
  const latencyMs =
    weight > 0
      ? {
          p50:
            Math.round(
              (withLatency.reduce(
                (s, p) => s + p.latencyMs.p50 * p.completed,
                0,
              ) /
                weight) *
                1000,
            ) / 1000,
          p99: Math.max(...withLatency.map(p => p.latencyMs.p99)),
          max: Math.max(...withLatency.map(p => p.latencyMs.max)),
        }
      : undefined;
  return {
    elapsedMs: Math.max(...threads.map(p => p.elapsedMs)),
    completed,
    failed: threads.reduce((s, p) => s + p.failed, 0),
    warmingUp: threads.some(p => p.warmingUp),
    ...(latencyMs ? { latencyMs } : {}),
  };
}
