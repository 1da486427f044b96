import { Recorder } from './recorder';
import { buildResult, mergeResults } from './result';
import { decodeHistogram } from './histogram';
import type { RunConfigSummary } from '../types';

const config: RunConfigSummary = {
  targets: [{ url: 'http://x/', method: 'GET', weight: 1 }],
  protocol: 'http/1.1',
  mode: 'max',
  requestedRps: 0,
  connections: 2,
  pipelining: 1,
  threads: 1,
  requestedDurationMs: 3000,
  warmupMs: 0,
  timeoutMs: 3000,
  jitter: 0,
};

/** Deterministic pseudo-random latencies (µs) with a long tail. */
function samples(
  seed: number,
  n: number,
): { at: number; us: number; status: number }[] {
  let x = seed;
  const out = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const u = x / 2 ** 31;
    out.push({
      at: (i / n) * 3000,
      us: Math.round(200 + 50_000 * u ** 8),
      status: u > 0.97 ? 503 : 200,
    });
  }
  return out;
}

function record(
  data: { at: number; us: number; status: number }[],
  errors = 0,
) {
  const r = new Recorder(1);
  for (const d of [...data].sort((a, b) => a.at - b.at))
    r.response(d.at, d.us, d.status, d.status < 400, 0, 10, 100, 40);
  for (let i = 0; i < errors; i++) r.error(2999, 'timeout', 0, 10, 0);
  return buildResult(r.finish(3000), {
    config,
    startEpochMs: Date.UTC(2025, 0, 1),
    durationMs: 3000,
  });
}

describe('results', () => {
  it('summarises what was recorded', () => {
    const r = record(samples(1, 1000), 5);
    expect(r.requests.total).toBe(1005);
    expect(r.errors).toEqual({
      timeout: 5,
      reset: 0,
      refused: 0,
      other: 0,
      total: 5,
    });
    expect(r.requests.perSecond).toBeCloseTo(335);
    expect(r.timeSeries).toHaveLength(3);
    expect(r.timeSeries.reduce((s, x) => s + x.requests, 0)).toBe(1005);
    expect(r.latencyMs.p50).toBeLessThan(r.latencyMs.p99);
    expect(r.bytes).toEqual({
      sent: 10050,
      received: 100_000,
      headers: 40_000,
    });
    expect(r.startTime).toBe('2025-01-01T00:00:00.000Z');
    expect(r.endTime).toBe('2025-01-01T00:00:03.000Z');
  });

  it('merges exactly: two halves give the result of the combined data', () => {
    const a = samples(7, 1500);
    const b = samples(99, 900);
    const merged = mergeResults([record(a, 2), record(b, 3)]);
    const combined = record([...a, ...b], 5);
    expect(merged.latencyMs).toEqual(combined.latencyMs);
    expect(merged.statusCodes).toEqual(combined.statusCodes);
    expect(merged.errors).toEqual(combined.errors);
    expect(merged.requests).toEqual(combined.requests);
    expect(merged.bytes).toEqual(combined.bytes);
    expect(merged.timeSeries.map(({ histogram, ...s }) => s)).toEqual(
      combined.timeSeries.map(({ histogram, ...s }) => s),
    );
    expect(decodeHistogram(merged.histogram.data).totalCount).toBe(2400);
    expect(merged.config.connections).toBe(4);
  });
});
