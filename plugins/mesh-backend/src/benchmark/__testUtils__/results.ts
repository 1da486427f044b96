import {
  createHistogram,
  encodeHistogram,
  type LoadResult,
  summarize,
  toEncoded,
} from '@meshstage/loadgen/model';

/**
 * A loadgen result built from latencies (ms) per second: `seconds[i]` holds the latencies of
 * the responses completed in second i. Histograms are real HDR histograms, as loadgen records.
 */
export function constructedResult(
  seconds: number[][],
  options: { failed?: number; requestedRps?: number } = {},
): LoadResult {
  const all = createHistogram(3);
  const timeSeries = seconds.map((values, second) => {
    const h = createHistogram(2);
    for (const ms of values) {
      h.recordValue(Math.round(ms * 1000));
      all.recordValue(Math.round(ms * 1000));
    }
    return {
      second,
      requests: values.length,
      errors: 0,
      p50Ms: h.totalCount ? h.getValueAtPercentile(50) / 1000 : 0,
      p99Ms: h.totalCount ? h.getValueAtPercentile(99) / 1000 : 0,
      histogram: encodeHistogram(h),
    };
  });
  const total = all.totalCount;
  const failed = options.failed ?? 0;
  const durationMs = seconds.length * 1000;
  return {
    kind: 'meshperf-result',
    version: 1,
    source: 'meshperf',
    startTime: '2026-11-25T12:00:00.000Z',
    endTime: new Date(
      Date.parse('2026-11-25T12:00:00.000Z') + durationMs,
    ).toISOString(),
    durationMs,
    config: {
      targets: [{ url: 'http://127.0.0.1:1/', method: 'GET', weight: 1 }],
      protocol: 'http/1.1',
      mode: options.requestedRps ? 'rate' : 'max',
      requestedRps: options.requestedRps ?? 0,
      connections: 1,
      pipelining: 1,
      threads: 1,
      requestedDurationMs: durationMs,
      warmupMs: 0,
      timeoutMs: 3000,
      jitter: 0,
    },
    requests: {
      total,
      ok: total - failed,
      failed,
      perSecond: total / (durationMs / 1000),
      errorRate: total ? failed / total : 0,
    },
    latencyMs: summarize(all),
    statusCodes: {
      '200': total - failed,
      ...(failed ? { '503': failed } : {}),
    },
    errors: { timeout: 0, reset: 0, refused: 0, other: 0, total: 0 },
    bytes: { sent: 0, received: total * 100, headers: total * 50 },
    targetCounts: [total],
    timeSeries,
    histogram: toEncoded(all),
  };
}

/** `n` latencies (ms) spread evenly over [low, high], deterministic. */
export function spread(n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) =>
    n === 1 ? low : low + ((high - low) * i) / (n - 1),
  );
}
