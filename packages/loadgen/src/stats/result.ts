/**
 * Turns recorded data into a {@link LoadResult}, and merges results of runs
 * that loaded the same target at the same time (worker threads, several
 * load-generator pods). Pure functions.
 *
 * @packageDocumentation
 */
import {
  ERROR_KINDS,
  type LoadResult,
  type RunConfigSummary,
  type SecondSample,
} from '../types';
import type { RecordedData } from './recorder';
import {
  addEncoded,
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  maxOf,
  percentileMs,
  summarize,
  toEncoded,
  type Histogram,
} from './histogram';

/** Run facts that the recorder does not know. */
export interface ResultMeta {
  config: RunConfigSummary;
  /** Wall-clock time (epoch ms) the measured part began. */
  startEpochMs: number;
  /** Measured duration, ms. */
  durationMs: number;
  labels?: string;
}

const round = (v: number, digits = 3) =>
  Math.round(v * 10 ** digits) / 10 ** digits;

function lagSummary(h: Histogram) {
  return {
    p50: percentileMs(h, 50),
    p99: percentileMs(h, 99),
    max: round(maxOf(h) / 1000),
  };
}

/** Builds the result of one run (one thread) from what its recorder gathered. */
export function buildResult(data: RecordedData, meta: ResultMeta): LoadResult {
  const durationMs = Math.max(meta.durationMs, 0);
  const result: LoadResult = {
    kind: 'meshperf-result',
    version: 1,
    source: 'meshperf',
    ...(meta.labels ? { labels: meta.labels } : {}),
    startTime: new Date(meta.startEpochMs).toISOString(),
    endTime: new Date(meta.startEpochMs + durationMs).toISOString(),
    durationMs: round(durationMs),
    config: meta.config,
    requests: {
      total: data.total,
      ok: data.ok,
      failed: data.total - data.ok,
      perSecond:
        durationMs > 0 ? round(data.total / (durationMs / 1000), 2) : 0,
      errorRate: data.total > 0 ? (data.total - data.ok) / data.total : 0,
    },
    latencyMs: summarize(data.histogram),
    statusCodes: data.statusCodes,
    errors: {
      ...data.errors,
      total: ERROR_KINDS.reduce((s, k) => s + data.errors[k], 0),
    },
    bytes: {
      sent: data.bytesSent,
      received: data.bytesReceived,
      headers: data.bytesHeaders,
    },
    targetCounts: data.targetCounts,
    timeSeries: data.timeSeries,
    histogram: toEncoded(data.histogram),
  };
  if (meta.config.mode === 'rate') {
    result.sendLagMs = lagSummary(data.lagHistogram);
    result.lagHistogram = toEncoded(data.lagHistogram);
  }
  return result;
}

function addCounts(
  into: Record<string, number>,
  from: Record<string, number>,
): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function mergeSeries(results: LoadResult[]): SecondSample[] {
  const length = Math.max(0, ...results.map(r => r.timeSeries.length));
  const out: SecondSample[] = [];
  for (let i = 0; i < length; i++) {
    const samples = results
      .map(r => r.timeSeries[i])
      .filter((s): s is SecondSample => !!s);
    const requests = samples.reduce((s, x) => s + x.requests, 0);
    const errors = samples.reduce((s, x) => s + x.errors, 0);
    if (samples.every(s => s.histogram)) {
      const h = addEncoded(
        samples.map(s => s.histogram!),
        2,
      );
      out.push({
        second: i,
        requests,
        errors,
        p50Ms: percentileMs(h, 50),
        p99Ms: percentileMs(h, 99),
        histogram: encodeHistogram(h),
      });
    } else {
      // Without histograms (e.g. imported data) percentiles cannot be added;
      // a request-weighted median and the worst p99 are the honest fallback.
      const p50 =
        requests > 0
          ? samples.reduce((s, x) => s + x.p50Ms * x.requests, 0) / requests
          : 0;
      out.push({
        second: i,
        requests,
        errors,
        p50Ms: round(p50),
        p99Ms: Math.max(0, ...samples.map(s => s.p99Ms)),
      });
    }
  }
  return out;
}

function mergeConfig(configs: RunConfigSummary[]): RunConfigSummary {
  const first = configs[0];
  const sum = (f: (c: RunConfigSummary) => number) =>
    configs.reduce((s, c) => s + f(c), 0);
  const counts = configs.map(c => c.requestedCount);
  return {
    ...first,
    requestedRps: sum(c => c.requestedRps),
    connections: sum(c => c.connections),
    threads: sum(c => c.threads),
    ...(counts.every(c => c !== undefined)
      ? { requestedCount: sum(c => c.requestedCount!) }
      : {}),
  };
}

/**
 * Merges results of runs that loaded the same targets at the same time:
 * worker threads of one run, or several load-generator pods. Histograms are
 * added bucket by bucket, so merged percentiles are exactly those of the
 * combined data; counts, statuses, errors and bytes are summed; the duration
 * is the longest one and the rate is the combined total over it; per-second
 * samples are aligned by their offset from each run's start.
 */
export function mergeResults(results: LoadResult[]): LoadResult {
  if (results.length === 0)
    throw new Error('mergeResults needs at least one result');
  if (results.length === 1) return results[0];
  const histogram = createHistogram(3);
  for (const r of results) histogram.add(decodeHistogram(r.histogram.data));
  const total = results.reduce((s, r) => s + r.requests.total, 0);
  const ok = results.reduce((s, r) => s + r.requests.ok, 0);
  const durationMs = Math.max(...results.map(r => r.durationMs));
  const start = Math.min(...results.map(r => Date.parse(r.startTime)));
  const end = Math.max(...results.map(r => Date.parse(r.endTime)));
  const statusCodes: Record<string, number> = {};
  const errors = { timeout: 0, reset: 0, refused: 0, other: 0, total: 0 };
  for (const r of results) {
    addCounts(statusCodes, r.statusCodes);
    addCounts(errors, r.errors);
  }
  const targetCounts = results[0].targetCounts.map((_, i) =>
    results.reduce((s, r) => s + (r.targetCounts[i] ?? 0), 0),
  );
  const labels = results.find(r => r.labels)?.labels;
  const merged: LoadResult = {
    kind: 'meshperf-result',
    version: 1,
    source: results.every(r => r.source === 'fortio') ? 'fortio' : 'meshperf',
    ...(labels ? { labels } : {}),
    startTime: new Date(start).toISOString(),
    endTime: new Date(end).toISOString(),
    durationMs,
    config: mergeConfig(results.map(r => r.config)),
    requests: {
      total,
      ok,
      failed: total - ok,
      perSecond: durationMs > 0 ? round(total / (durationMs / 1000), 2) : 0,
      errorRate: total > 0 ? (total - ok) / total : 0,
    },
    latencyMs: summarize(histogram),
    statusCodes,
    errors,
    bytes: {
      sent: results.reduce((s, r) => s + r.bytes.sent, 0),
      received: results.reduce((s, r) => s + r.bytes.received, 0),
      headers: results.reduce((s, r) => s + (r.bytes.headers ?? 0), 0),
    },
    targetCounts,
    timeSeries: mergeSeries(results),
    histogram: toEncoded(
      histogram,
      results.some(r => r.histogram.approximate),
    ),
  };
  const busy = results
    .map(r => r.generatorBusy)
    .filter((b): b is number => b !== undefined);
  if (busy.length > 0) merged.generatorBusy = Math.max(...busy);
  const lags = results.map(r => r.lagHistogram).filter(h => h !== undefined);
  if (lags.length > 0) {
    const lag = addEncoded(
      lags.map(h => h.data),
      3,
    );
    merged.sendLagMs = lagSummary(lag);
    merged.lagHistogram = toEncoded(lag);
  }
  return merged;
}
