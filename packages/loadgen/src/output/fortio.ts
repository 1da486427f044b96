/**
 * fortio-compatible JSON: export of our results in the shape `fortio load
 * -json` writes (field names as in fortio's `periodic.RunnerResults`,
 * `fhttp.HTTPRunnerResults` and `stats.HistogramData`: durations in
 * seconds, `ActualDuration` in nanoseconds), and import of fortio results
 * into our type.
 *
 * @packageDocumentation
 */
import { createHistogram, summarize, toEncoded } from '../stats/histogram';
import { ERROR_KINDS, type LoadResult, type RunConfigSummary } from '../types';
import {
  decodeHistogram,
  maxOf,
  minOf,
  recordedValues,
} from '../stats/histogram';

/** One bucket of a fortio histogram. `Percent` is cumulative, as in fortio. */
export interface FortioBucket {
  Start: number;
  End: number;
  Percent: number;
  Count: number;
}

/** fortio's `stats.HistogramData`. */
export interface FortioHistogram {
  Count: number;
  Min: number;
  Max: number;
  Sum: number;
  Avg: number;
  StdDev: number;
  Data: FortioBucket[];
  Percentiles?: { Percentile: number; Value: number }[];
}

/** The subset of fortio's result JSON that we write and read. */
export interface FortioResult {
  RunType: string;
  Labels: string;
  StartTime: string;
  RequestedQPS: string;
  RequestedDuration: string;
  ActualQPS: number;
  ActualDuration: number;
  NumThreads: number;
  Version: string;
  DurationHistogram: FortioHistogram;
  Exactly: number;
  Jitter: boolean;
  Uniform: boolean;
  RetCodes: Record<string, number>;
  Sizes?: FortioHistogram;
  HeaderSizes?: FortioHistogram;
  URL?: string;
  Destination?: string;
  SocketCount?: number;
  HTTPReqTimeOut?: number;
  H2?: boolean;
  [extra: string]: unknown;
}

/**
 * fortio's default bucket edges, in units of its resolution. fortio's
 * default resolution is 1 ms; we use 0.1 ms so that sub-millisecond local
 * latencies still get several buckets.
 */
const BUCKET_EDGES = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45,
  50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450,
  500, 600, 700, 800, 900, 1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000,
  30000, 40000, 50000, 60000, 70000, 80000, 90000, 100000,
];
const RESOLUTION_US = 100;

/** The percentiles we export (fortio's defaults 50, 75, 90, 99, 99.9 plus 99.99). */
const PERCENTILES: [number, keyof LoadResult['latencyMs']][] = [
  [50, 'p50'],
  [75, 'p75'],
  [90, 'p90'],
  [99, 'p99'],
  [99.9, 'p999'],
  [99.99, 'p9999'],
];

/** Formats ms as a Go `time.Duration` string (`10s`, `1m30s`, `500ms`), as fortio prints them. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${+ms.toFixed(3)}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const secs = `${+s.toFixed(6)}s`;
  if (h > 0) return `${h}h${m}m${secs}`;
  if (m > 0) return `${m}m${secs}`;
  return secs;
}

function parseGoDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let any = false;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * units[m[2]];
    any = true;
  }
  return any ? total : undefined;
}

function durationHistogram(r: LoadResult): FortioHistogram {
  const h = decodeHistogram(r.histogram.data);
  const count = h.totalCount;
  const sec = (us: number) => us / 1e6;
  const data: FortioBucket[] = [];
  if (count > 0) {
    let cumulative = 0;
    let bucket = -1;
    let current: FortioBucket | undefined;
    for (const { value, count: n } of recordedValues(h)) {
      let b = 0;
      while (
        b < BUCKET_EDGES.length - 1 &&
        value >= BUCKET_EDGES[b + 1] * RESOLUTION_US
      )
        b++;
      if (b !== bucket || !current) {
        if (current) data.push(current);
        bucket = b;
        const end =
          b + 1 < BUCKET_EDGES.length
            ? BUCKET_EDGES[b + 1] * RESOLUTION_US
            : maxOf(h);
        current = {
          Start: sec(BUCKET_EDGES[b] * RESOLUTION_US),
          End: sec(end),
          Percent: 0,
          Count: 0,
        };
      }
      current.Count += n;
      cumulative += n;
      current.Percent = Math.round((cumulative / count) * 1e8) / 1e6;
    }
    if (current) data.push(current);
    // Like fortio: the first bucket starts at the minimum, the last ends at the maximum.
    data[0].Start = sec(minOf(h));
    data[data.length - 1].End = sec(maxOf(h));
  }
  return {
    Count: count,
    Min: sec(count ? minOf(h) : 0),
    Max: sec(count ? maxOf(h) : 0),
    Sum: sec(h.mean * count),
    Avg: sec(count ? h.mean : 0),
    StdDev: sec(count ? h.stdDeviation : 0),
    Data: data,
    Percentiles: PERCENTILES.map(([p, key]) => ({
      Percentile: p,
      Value: r.latencyMs[key] / 1000,
    })),
  };
}

function flatHistogram(count: number, sum: number): FortioHistogram {
  // We keep totals, not per-request sizes: the average stands in for each one.
  const avg = count > 0 ? sum / count : 0;
  return {
    Count: count,
    Min: avg,
    Max: avg,
    Sum: sum,
    Avg: avg,
    StdDev: 0,
    Data:
      count > 0 ? [{ Start: avg, End: avg, Percent: 100, Count: count }] : [],
  };
}

/** Converts a result into fortio's JSON result shape. */
export function toFortio(r: LoadResult): FortioResult {
  const c = r.config;
  const grpc = c.protocol === 'grpc';
  const retCodes: Record<string, number> = { ...r.statusCodes };
  // fortio counts calls that got no answer under -1.
  if (r.errors.total > 0)
    retCodes['-1'] = (retCodes['-1'] ?? 0) + r.errors.total;
  const responses = r.requests.total - r.errors.total;
  return {
    RunType: grpc ? 'GRPC Health' : 'HTTP',
    Labels: r.labels ?? '',
    StartTime: r.startTime,
    RequestedQPS: c.mode === 'max' ? 'max' : String(c.requestedRps),
    RequestedDuration:
      c.requestedCount !== undefined
        ? `exactly ${c.requestedCount} calls`
        : goDuration(c.requestedDurationMs ?? r.durationMs),
    ActualQPS: r.requests.perSecond,
    ActualDuration: Math.round(r.durationMs * 1e6),
    NumThreads: c.connections,
    Version: 'meshperf',
    DurationHistogram: durationHistogram(r),
    Exactly: c.requestedCount ?? 0,
    Jitter: c.jitter > 0,
    Uniform: c.mode === 'rate',
    RetCodes: retCodes,
    Sizes: flatHistogram(responses, r.bytes.received),
    HeaderSizes: flatHistogram(responses, r.bytes.headers ?? 0),
    ...(grpc ? { Destination: c.targets[0]?.url } : { URL: c.targets[0]?.url }),
    SocketCount: c.connections,
    HTTPReqTimeOut: Math.round(c.timeoutMs * 1e6),
    H2: c.protocol === 'h2',
  };
}

function protocolOf(grpc: boolean, h2: boolean): RunConfigSummary['protocol'] {
  if (grpc) return 'grpc';
  return h2 ? 'h2' : 'http/1.1';
}

function rateOf(total: number, durationMs: number): number {
  return durationMs > 0 ? total / (durationMs / 1000) : 0;
}

/** A fortio document could not be read. */
export class FortioImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FortioImportError';
  }
}

/**
 * Reads a fortio JSON result into our result type. fortio keeps bucketed
 * data, not an HDR histogram, so the histogram is rebuilt by spreading each
 * bucket's count evenly over the bucket (fortio's own interpolation) and is
 * marked approximate; the percentiles fortio reported are kept as they are.
 */
export function fromFortio(doc: unknown): LoadResult {
  if (!doc || typeof doc !== 'object')
    throw new FortioImportError('not a JSON object');
  const f = doc as Partial<FortioResult>;
  const dh = f.DurationHistogram;
  if (!dh || typeof dh.Count !== 'number' || !Array.isArray(dh.Data)) {
    throw new FortioImportError('no DurationHistogram: not a fortio result');
  }
  const h = createHistogram(3);
  for (const b of dh.Data) {
    const start = Math.max(1, b.Start * 1e6);
    const end = Math.max(start, b.End * 1e6);
    const points = Math.min(b.Count, 100);
    for (let i = 0; i < points; i++) {
      const share =
        Math.floor(b.Count / points) + (i < b.Count % points ? 1 : 0);
      if (share > 0)
        h.recordValueWithCount(
          Math.round(start + ((i + 0.5) * (end - start)) / points),
          share,
        );
    }
  }
  const rebuilt = summarize(h);
  const pick = (p: number, fallback: number) => {
    const v = dh.Percentiles?.find(x => x.Percentile === p)?.Value;
    return typeof v === 'number' ? Math.round(v * 1e6) / 1000 : fallback;
  };
  const ms = (s: number) => Math.round(s * 1e6) / 1000;
  const grpc = typeof f.RunType === 'string' && /grpc/i.test(f.RunType);
  const statusCodes: Record<string, number> = {};
  let noAnswer = 0;
  for (const [k, v] of Object.entries(f.RetCodes ?? {})) {
    if (k === '-1') noAnswer += v;
    else statusCodes[k] = v;
  }
  const isOk = (code: string) =>
    grpc ? code === 'SERVING' || code === 'OK' : /^[23]\d\d$/.test(code);
  const ok = Object.entries(statusCodes).reduce(
    (s, [k, v]) => s + (isOk(k) ? v : 0),
    0,
  );
  const total =
    Object.values(f.RetCodes ?? {}).reduce((s, v) => s + v, 0) || dh.Count;
  const durationMs =
    typeof f.ActualDuration === 'number' ? f.ActualDuration / 1e6 : 0;
  const start = f.StartTime ? Date.parse(f.StartTime) : NaN;
  const startMs = Number.isNaN(start) ? 0 : start;
  const requestedQps =
    f.RequestedQPS === undefined || f.RequestedQPS === 'max'
      ? 0
      : Number(f.RequestedQPS) || 0;
  const exactly =
    typeof f.Exactly === 'number' && f.Exactly > 0 ? f.Exactly : undefined;
  const requestedDurationMs =
    typeof f.RequestedDuration === 'string'
      ? parseGoDuration(f.RequestedDuration)
      : undefined;
  const url = (f.URL ?? f.Destination ?? '') as string;
  const timeoutNs = typeof f.HTTPReqTimeOut === 'number' ? f.HTTPReqTimeOut : 0;
  const config: RunConfigSummary = {
    targets: url
      ? [
          {
            url,
            method: grpc ? '/grpc.health.v1.Health/Check' : 'GET',
            weight: 1,
          },
        ]
      : [],
    protocol: protocolOf(grpc, !!f.H2),
    mode: requestedQps > 0 ? 'rate' : 'max',
    requestedRps: requestedQps,
    connections: typeof f.NumThreads === 'number' ? f.NumThreads : 1,
    pipelining: 1,
    threads: 1,
    ...(exactly !== undefined ? { requestedCount: exactly } : {}),
    ...(exactly === undefined && requestedDurationMs !== undefined
      ? { requestedDurationMs }
      : {}),
    warmupMs: 0,
    timeoutMs: timeoutNs / 1e6,
    jitter: f.Jitter ? 0.1 : 0,
  };
  const errors = {
    timeout: 0,
    reset: 0,
    refused: 0,
    other: noAnswer,
    total: noAnswer,
  };
  for (const k of ERROR_KINDS) errors[k] = errors[k] ?? 0;
  return {
    kind: 'meshperf-result',
    version: 1,
    source: 'fortio',
    ...(f.Labels ? { labels: f.Labels } : {}),
    startTime: new Date(startMs).toISOString(),
    endTime: new Date(startMs + durationMs).toISOString(),
    durationMs,
    config,
    requests: {
      total,
      ok,
      failed: total - ok,
      perSecond:
        typeof f.ActualQPS === 'number'
          ? f.ActualQPS
          : rateOf(total, durationMs),
      errorRate: total > 0 ? (total - ok) / total : 0,
    },
    latencyMs: {
      min: ms(dh.Min ?? 0),
      mean: ms(dh.Avg ?? 0),
      stddev: ms(dh.StdDev ?? 0),
      p50: pick(50, rebuilt.p50),
      p75: pick(75, rebuilt.p75),
      p90: pick(90, rebuilt.p90),
      p99: pick(99, rebuilt.p99),
      p999: pick(99.9, rebuilt.p999),
      p9999: pick(99.99, rebuilt.p9999),
      max: ms(dh.Max ?? 0),
    },
    statusCodes,
    errors,
    bytes: {
      sent: 0,
      received: typeof f.Sizes?.Sum === 'number' ? f.Sizes.Sum : 0,
      headers: typeof f.HeaderSizes?.Sum === 'number' ? f.HeaderSizes.Sum : 0,
    },
    targetCounts: url ? [total] : [],
    timeSeries: [],
    histogram: toEncoded(h, true),
  };
}
