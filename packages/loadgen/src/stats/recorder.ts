/**
 * Collects the outcome of every measured request: latency histograms,
 * status codes, error kinds, bytes, per-second samples. No I/O and no clock:
 * callers pass times in, so it is deterministic under test.
 *
 * @packageDocumentation
 */
import {
  ERROR_KINDS,
  type ErrorKind,
  type ProgressLatency,
  type SecondSample,
} from '../types';
import {
  createHistogram,
  encodeHistogram,
  maxOf,
  percentileMs,
  round3,
  type Histogram,
} from './histogram';

/** Everything a recorder gathered; turned into a result by `buildResult`. */
export interface RecordedData {
  total: number;
  ok: number;
  histogram: Histogram;
  lagHistogram: Histogram;
  statusCodes: Record<string, number>;
  errors: Record<ErrorKind, number>;
  bytesSent: number;
  bytesReceived: number;
  /** The header part of `bytesReceived` (estimated from parsed headers). */
  bytesHeaders: number;
  targetCounts: number[];
  timeSeries: SecondSample[];
  /** Time of the last completion, ms on the caller's clock (NaN when nothing completed). */
  lastCompletionMs: number;
}

/**
 * Records measured requests. Completion times are ms on any monotonic clock
 * whose zero is the start of the measured period; the recorder buckets them
 * into seconds from there.
 */
export class Recorder {
  private readonly histogram = createHistogram(3);
  private readonly lagHistogram = createHistogram(3);
  /** HTTP statuses counted in an array: the hot path avoids string keys. */
  private readonly httpStatus = new Float64Array(600);
  private readonly namedStatus: Record<string, number> = {};
  private readonly errors: Record<ErrorKind, number> = {
    timeout: 0,
    reset: 0,
    refused: 0,
    other: 0,
  };
  private readonly targetCounts: number[];
  private total = 0;
  private ok = 0;
  private bytesSent = 0;
  private bytesReceived = 0;
  private bytesHeaders = 0;
  private lastCompletionMs = NaN;
  // The second being filled; completions arrive in time order on one thread,
  // so earlier seconds are finished and kept only in encoded form.
  private second = 0;
  private secondRequests = 0;
  private secondErrors = 0;
  private secondHistogram = createHistogram(2);
  private readonly series: SecondSample[] = [];
  // Finished seconds' histograms, encoded only at the end: encoding costs a
  // few ms, which in the middle of a run would show up as send lag.
  private readonly seriesHistograms: (Histogram | undefined)[] = [];

  constructor(targets = 1) {
    this.targetCounts = new Array(targets).fill(0);
  }

  /** Latency of the responses recorded so far, for progress displays; undefined before the first. */
  latencySoFar(): ProgressLatency | undefined {
    const h = this.histogram;
    if (h.totalCount === 0) return undefined;
    return {
      p50: percentileMs(h, 50),
      p99: percentileMs(h, 99),
      max: round3(maxOf(h) / 1000),
    };
  }

  /**
   * Records a response.
   * @param atMs - completion time, ms since the measured period began
   * @param latencyUs - latency in µs
   * @param status - HTTP status code, or a name (gRPC)
   * @param ok - whether the status counts as a success
   */
  response(
    atMs: number,
    latencyUs: number,
    status: number | string,
    ok: boolean,
    target: number,
    sent: number,
    received: number,
    headers = 0,
  ): void {
    this.advance(atMs);
    const v = latencyUs < 1 ? 1 : Math.round(latencyUs);
    this.histogram.recordValue(v);
    this.secondHistogram.recordValue(v);
    if (typeof status === 'number' && status >= 0 && status < 600)
      this.httpStatus[status]++;
    else
      this.namedStatus[String(status)] =
        (this.namedStatus[String(status)] ?? 0) + 1;
    this.total++;
    this.secondRequests++;
    if (ok) this.ok++;
    else this.secondErrors++;
    this.targetCounts[target]++;
    this.bytesSent += sent;
    this.bytesReceived += received;
    this.bytesHeaders += headers;
  }

  /** Records a request that got no response. */
  error(
    atMs: number,
    kind: ErrorKind,
    target: number,
    sent: number,
    received: number,
  ): void {
    this.advance(atMs);
    this.errors[kind]++;
    this.total++;
    this.secondRequests++;
    this.secondErrors++;
    this.targetCounts[target]++;
    this.bytesSent += sent;
    this.bytesReceived += received;
  }

  /** Records how late (µs) an open-loop send left relative to its schedule. */
  lag(lagUs: number): void {
    this.lagHistogram.recordValue(lagUs < 1 ? 1 : Math.round(lagUs));
  }

  /** Completed requests so far. */
  get completed(): number {
    return this.total;
  }

  /** Failed requests so far. */
  get failed(): number {
    return this.total - this.ok;
  }

  private advance(atMs: number): void {
    this.lastCompletionMs = Number.isNaN(this.lastCompletionMs)
      ? atMs
      : Math.max(this.lastCompletionMs, atMs);
    const s = atMs < 0 ? 0 : Math.floor(atMs / 1000);
    // A completion stamped slightly earlier than the current second (timers
    // fire out of order by microseconds) is counted in the current one.
    while (s > this.second) this.closeSecond();
  }

  private closeSecond(): void {
    const h = this.secondHistogram;
    this.series.push({
      second: this.second,
      requests: this.secondRequests,
      errors: this.secondErrors,
      p50Ms: percentileMs(h, 50),
      p99Ms: percentileMs(h, 99),
    });
    this.second++;
    this.secondRequests = 0;
    this.secondErrors = 0;
    if (h.totalCount > 0) {
      this.seriesHistograms.push(h);
      this.secondHistogram = createHistogram(2);
    } else this.seriesHistograms.push(undefined);
  }

  /**
   * Closes the recording and returns its data. `endMs` is the end of the
   * measured period: seconds up to it appear in the series even when empty.
   */
  finish(endMs: number): RecordedData {
    const lastSecond = Math.max(
      0,
      Math.ceil(Math.max(endMs, this.lastCompletionMs || 0) / 1000) - 1,
    );
    while (this.second < lastSecond) this.closeSecond();
    this.closeSecond();
    const empty = encodeHistogram(createHistogram(2));
    this.series.forEach((sample, i) => {
      const h = this.seriesHistograms[i];
      sample.histogram = h ? encodeHistogram(h) : empty;
    });
    const statusCodes: Record<string, number> = {};
    this.httpStatus.forEach((n, code) => {
      if (n > 0) statusCodes[String(code)] = n;
    });
    Object.assign(statusCodes, this.namedStatus);
    const errors = { ...this.errors };
    for (const k of ERROR_KINDS) errors[k] = errors[k] ?? 0;
    return {
      total: this.total,
      ok: this.ok,
      histogram: this.histogram,
      lagHistogram: this.lagHistogram,
      statusCodes,
      errors,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      bytesHeaders: this.bytesHeaders,
      targetCounts: [...this.targetCounts],
      timeSeries: this.series,
      lastCompletionMs: this.lastCompletionMs,
    };
  }
}
