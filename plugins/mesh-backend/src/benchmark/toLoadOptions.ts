import {
  type LoadOptions,
  parseDuration,
  type Thresholds,
} from '@meshstage/loadgen/model';
import { type ProfileSpec, profileDurationMs } from './profileSchema';

/** The loadgen options that run a profile (without signal, progress and labels). Pure. */
export function toLoadOptions(p: ProfileSpec): LoadOptions {
  const durationMs = profileDurationMs(p);
  return {
    targets: p.endpoints.map(e => ({
      url: e.url,
      ...(e.method ? { method: e.method.toUpperCase() } : {}),
      ...(e.headers ? { headers: e.headers } : {}),
      ...(e.body !== undefined ? { body: e.body } : {}),
      ...(e.weight !== undefined ? { weight: e.weight } : {}),
    })),
    connections: p.connections,
    rate: p.rate,
    ...(durationMs !== undefined ? { durationMs } : { count: p.requestCount }),
    ...(p.warmup ? { warmupMs: parseDuration(p.warmup) } : {}),
    ...(p.timeout ? { timeoutMs: parseDuration(p.timeout) } : {}),
    jitter: p.jitter,
    threads: p.threads,
    http2: p.protocol === 'http2',
    ...(p.engine === 'net' ? { engine: 'net' as const } : {}),
    // gRPC profiles call the standard health check of each endpoint.
    ...(p.protocol === 'grpc' ? { grpc: {} } : {}),
    // A run may target whatever a profile names: never the host's link-local/metadata addresses,
    // checked after DNS and pinned for the run (issue 17).
    denyLinkLocal: true,
  };
}

/** loadgen thresholds from a profile's `thresholds`. Pure. */
export function toThresholds(p: ProfileSpec): Thresholds | undefined {
  if (!p.thresholds) return undefined;
  const t: Thresholds = {};
  if (p.thresholds.maxP99) t.maxP99Ms = parseDuration(p.thresholds.maxP99);
  if (p.thresholds.maxErrorRate !== undefined)
    t.maxErrorRate = p.thresholds.maxErrorRate;
  return Object.keys(t).length > 0 ? t : undefined;
}

/**
 * The longest a run of this profile may take on the wall clock: warmup, the measured part and
 * the drain of in-flight requests. Request-count runs are bounded by `maxDurationMs` instead.
 */
export function wallClockBoundMs(
  p: ProfileSpec,
  maxDurationMs: number,
): number {
  const warmup = p.warmup ? parseDuration(p.warmup) : 0;
  const timeout = p.timeout ? parseDuration(p.timeout) : 3000;
  const measured = profileDurationMs(p) ?? maxDurationMs;
  // Connection setup and the drain (timeout + 500 ms in loadgen) plus slack; in a cluster, pods
  // are scheduled and started first.
  return warmup + measured + timeout + (p.inCluster ? 120_000 : 10_000);
}
