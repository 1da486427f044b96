/**
 * The public shapes of the load generator: what a run is asked to do
 * ({@link LoadOptions}) and what it measured ({@link LoadResult}).
 *
 * @packageDocumentation
 */

/** Why a request got no response. */
export type ErrorKind = 'timeout' | 'reset' | 'refused' | 'other';

/** All error kinds, in report order. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  'timeout',
  'reset',
  'refused',
  'other',
];

/**
 * How HTTP requests are sent: `undici` (default; HTTP/1.1, HTTP/2, TLS) or
 * `net`, a lean HTTP/1.1 path on `node:net` for plain-text `http://` targets.
 */
export type HttpEngine = 'undici' | 'net';

/** The wire protocol of a run. */
export type Protocol = 'http/1.1' | 'h2' | 'grpc';

/** One target of a run; several targets share the load by weight. */
export interface Target {
  /** Absolute URL (`http`, `https`; for gRPC also `grpc://host:port`, `grpcs://`, or `host:port`). */
  url: string;
  /** HTTP method; default `GET`, or `POST` when a body is given. */
  method?: string;
  /** Request headers. */
  headers?: Record<string, string>;
  /** Request body. For a gRPC generic call, the serialized request message. */
  body?: string | Uint8Array;
  /** Relative share of the requests; default 1. */
  weight?: number;
}

/** TLS settings for `https` (and `grpcs`) targets. */
export interface TlsOptions {
  /** PEM CA bundle that signs the server certificate. */
  ca?: string | Uint8Array;
  /** Skip verification of the server certificate (self-signed test servers). */
  insecure?: boolean;
}

/** gRPC settings; when present the run issues gRPC unary calls instead of HTTP requests. */
export interface GrpcOptions {
  /**
   * Full method path. Default `/grpc.health.v1.Health/Check`, whose request is
   * built from {@link GrpcOptions.service}. Any other method is called with the
   * target's `body` as the raw serialized request.
   */
  method?: string;
  /** Service name asked about by the health check; default `""` (the whole server). */
  service?: string;
}

/** A snapshot of a running load test, for progress displays. */
export interface Progress {
  /** Milliseconds since the measured part of the run began (negative during warmup). */
  elapsedMs: number;
  /** Requests completed in the measured part so far. */
  completed: number;
  /** Of those, how many failed (transport error or non-2xx/3xx). */
  failed: number;
  /** True while the warmup is still running. */
  warmingUp: boolean;
  /**
   * Latency of the measured requests so far, in ms (absent before the first one). With
   * `threads` > 1 it is approximate: p50 the threads' values weighted by their requests, p99 and
   * max the highest thread's; the final result merges the histograms exactly.
   */
  latencyMs?: ProgressLatency;
}

/** Latency percentiles of a run so far, in ms. */
export interface ProgressLatency {
  p50: number;
  p99: number;
  max: number;
}

/** What a load test is asked to do. */
export interface LoadOptions {
  /** Where the requests go; at least one. */
  targets: Target[];
  /** Concurrent connections (closed loop) or connections that share the rate (open loop). Default 10. */
  connections?: number;
  /** Requests in flight per connection: HTTP/1.1 pipelining depth, or concurrent HTTP/2/gRPC streams. Default 1. */
  pipelining?: number;
  /** Requests per second (open loop, coordinated omission corrected); 0 or absent means as fast as possible. */
  rate?: number;
  /** Length of the measured part of the run, in ms. Default 10 s unless `count` is given. */
  durationMs?: number;
  /** Stop after this many measured requests instead of after a duration. */
  count?: number;
  /** Load sent before measuring starts, excluded from the results; in ms. Default 0. */
  warmupMs?: number;
  /** Per-request timeout in ms; 0 disables. Default 3000 (fortio's default). */
  timeoutMs?: number;
  /** Uniform jitter of each scheduled send time, as a fraction (0 to 0.5) of a connection's send interval. */
  jitter?: number;
  /** Worker threads that share the connections and the rate. Default 1 (the calling thread). */
  threads?: number;
  /** Use HTTP/2: ALPN `h2` over TLS, or prior-knowledge h2c for `http:` URLs. */
  http2?: boolean;
  /**
   * HTTP client engine. Default `undici`. `net` is plain HTTP/1.1 over
   * `node:net` (no TLS, HTTP/2 or gRPC), for the highest throughput. The
   * meshperf CLI picks `defaultEngine()` (net where it can) when not told.
   */
  engine?: HttpEngine;
  /** TLS settings. */
  tls?: TlsOptions;
  /** gRPC unary calls instead of HTTP requests. */
  grpc?: GrpcOptions;
  /** Free-form labels stored with the result (fortio's `Labels`). */
  labels?: string;
  /**
   * curl-style pins `host:port:address:port` (or `host:port:address`): connections
   * to `host:port` go to the address instead, keeping the Host header and SNI.
   * Entries may be comma-separated lists.
   */
  resolve?: string[];
  /**
   * Refuse targets that are, or resolve to, link-local or cloud metadata
   * addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200, ...,
   * in every spelling). Each host is resolved once before the run and pinned
   * to the address checked, so it cannot be re-pointed mid-run. For services
   * that run load tests on behalf of others (the MeshStage backend).
   */
  denyLinkLocal?: boolean;
  /** Aborting stops the load at once; the result covers what completed. */
  signal?: AbortSignal;
  /** Called about four times a second with cumulative counts. */
  onProgress?: (progress: Progress) => void;
}

/** Latency summary, in milliseconds. */
export interface LatencySummary {
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

/** One second of a run, for charts. */
export interface SecondSample {
  /** Seconds since the measured part began (0 is the first second). */
  second: number;
  /** Requests completed in this second. */
  requests: number;
  /** Of those, failed ones. */
  errors: number;
  /** Median latency of this second's responses, ms. */
  p50Ms: number;
  /** 99th percentile latency of this second's responses, ms. */
  p99Ms: number;
  /** This second's latency histogram (µs, compressed HDR, base64), so merges stay exact. */
  histogram?: string;
}

/** An HDR histogram in its standard compressed base64 encoding. */
export interface EncodedHistogram {
  /** Unit of the recorded values. */
  unit: 'us';
  /** HdrHistogram compressed encoding, base64 (readable by any HdrHistogram implementation). */
  encoding: 'hdr-compressed-base64';
  data: string;
  /** True when rebuilt from bucketed data (imported fortio results) rather than recorded. */
  approximate?: boolean;
}

/** What a load test measured. */
export interface LoadResult {
  /** Marks the document type. */
  kind: 'meshperf-result';
  /** Shape version. */
  version: 1;
  /** Where the numbers came from: this generator, or an imported fortio result. */
  source: 'meshperf' | 'fortio';
  labels?: string;
  /** ISO time the measured part began. */
  startTime: string;
  /** ISO time the last measured request completed. */
  endTime: string;
  /** Measured duration in ms (what `requests.perSecond` is computed over). */
  durationMs: number;
  /** The run as it was asked for. */
  config: RunConfigSummary;
  requests: {
    /** Requests completed (responses and transport errors). */
    total: number;
    /** Responses with status 2xx/3xx (gRPC: status OK). */
    ok: number;
    /** Transport errors plus other statuses. */
    failed: number;
    /** `total` divided by the measured duration. */
    perSecond: number;
    /** `failed / total` (0 when nothing completed). */
    errorRate: number;
  };
  /** Latency of responses (any status); transport errors are not included. */
  latencyMs: LatencySummary;
  /** Responses by HTTP status code (gRPC: status name, health checks: serving status). */
  statusCodes: Record<string, number>;
  /** Requests that got no response, by kind. */
  errors: Record<ErrorKind, number> & { total: number };
  bytes: {
    /** Request body bytes sent. */
    sent: number;
    /** Response bytes received: body plus an estimate of the header block. */
    received: number;
    /** The header part of `received` (estimated from parsed headers: HTTP only). */
    headers: number;
  };
  /** Requests per target, in `config.targets` order. */
  targetCounts: number[];
  /**
   * Open loop only: how late sends left relative to their schedule when their
   * connection was free (so the delay was the generator's, not the server's), ms.
   * Large values mean the generator could not keep up.
   */
  sendLagMs?: { p50: number; p99: number; max: number };
  /**
   * Share of the run (0..1) the generator's event loop was busy; the busiest
   * thread's when merged. Near 1 in a constant-rate run means the generator
   * itself was saturated and its queueing is part of the latencies.
   */
  generatorBusy?: number;
  /** Per-second samples of the measured part. */
  timeSeries: SecondSample[];
  /** All response latencies (µs). */
  histogram: EncodedHistogram;
  /** Open loop send lag (µs). */
  lagHistogram?: EncodedHistogram;
}

/** The request side of a result: what was asked for. */
export interface RunConfigSummary {
  targets: { url: string; method: string; weight: number }[];
  protocol: Protocol;
  /** `max`: closed loop as fast as possible; `rate`: open loop at `requestedRps`. */
  mode: 'max' | 'rate';
  /** Requested rate, 0 in max mode. */
  requestedRps: number;
  connections: number;
  pipelining: number;
  threads: number;
  requestedDurationMs?: number;
  requestedCount?: number;
  warmupMs: number;
  timeoutMs: number;
  jitter: number;
  /**
   * The HTTP engine that ran the load, as meshperf reports it (absent for
   * gRPC, and in results of the library's `runLoad`).
   */
  engine?: HttpEngine;
}
