/**
 * The Service Mesh Performance (SMP) result shape: the fields of smp-spec's
 * `PerformanceTestResult` (`start_time`, `end_time`, `latencies_ms`,
 * `actual_qps`, `detailed_results`) plus the client side of its
 * `PerformanceTestConfig`, in the snake_case JSON names the spec uses.
 *
 * @packageDocumentation
 */
import type { LoadResult } from '../types';

/** smp-spec `LatenciesMs`. */
export interface SmpLatencies {
  min: number;
  average: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** An SMP-style performance test result. */
export interface SmpResult {
  smp_version: string;
  labels: Record<string, string>;
  start_time: string;
  end_time: string;
  latencies_ms: SmpLatencies;
  actual_qps: number;
  detailed_results: Record<string, number | string>;
  config: {
    duration: string;
    clients: {
      internal: boolean;
      load_generator: string;
      protocol: string;
      connections: number;
      rps: number;
      headers: Record<string, string>;
      body: string;
      content_type: string;
      endpoint_urls: string[];
    }[];
  };
}

/** Parses `k=v,k2=v2` labels; a bare string becomes `{ name: text }`. */
function labelsOf(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    else if (part.trim()) out.name = part.trim();
  }
  return out;
}

/** Converts a result into the SMP result shape. */
export function toSmp(r: LoadResult): SmpResult {
  const c = r.config;
  const l = r.latencyMs;
  const detailed: Record<string, number | string> = {
    requests_total: r.requests.total,
    requests_ok: r.requests.ok,
    requests_failed: r.requests.failed,
    error_rate: r.requests.errorRate,
    requested_qps: c.requestedRps,
    duration_ms: r.durationMs,
    p75_ms: l.p75,
    p999_ms: l.p999,
    p9999_ms: l.p9999,
    stddev_ms: l.stddev,
    bytes_received: r.bytes.received,
    bytes_sent: r.bytes.sent,
  };
  for (const [code, n] of Object.entries(r.statusCodes))
    detailed[`status_${code}`] = n;
  for (const [kind, n] of Object.entries(r.errors))
    if (kind !== 'total') detailed[`errors_${kind}`] = n;
  return {
    smp_version: 'v0.0.1',
    labels: labelsOf(r.labels),
    start_time: r.startTime,
    end_time: r.endTime,
    latencies_ms: {
      min: l.min,
      average: l.mean,
      p50: l.p50,
      p90: l.p90,
      p99: l.p99,
      max: l.max,
    },
    actual_qps: r.requests.perSecond,
    detailed_results: detailed,
    config: {
      duration: `${(c.requestedDurationMs ?? r.durationMs) / 1000}s`,
      clients: [
        {
          internal: true,
          load_generator: 'meshperf',
          protocol: { grpc: 'grpc', h2: 'http2', 'http/1.1': 'http' }[
            c.protocol
          ],
          connections: c.connections,
          rps: c.requestedRps,
          headers: {},
          body: '',
          content_type: '',
          endpoint_urls: c.targets.map(t => t.url),
        },
      ],
    },
  };
}
