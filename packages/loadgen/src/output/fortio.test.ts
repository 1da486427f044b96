import { Recorder } from '../stats/recorder';
import { buildResult } from '../stats/result';
import type { LoadResult, RunConfigSummary } from '../types';
import { fromFortio, goDuration, toFortio, FortioImportError } from './fortio';
import { toSmp } from './smp';
import { formatText } from './text';

const config: RunConfigSummary = {
  targets: [{ url: 'http://svc.test:8080/echo', method: 'GET', weight: 1 }],
  protocol: 'http/1.1',
  mode: 'rate',
  requestedRps: 500,
  connections: 8,
  pipelining: 1,
  threads: 1,
  requestedDurationMs: 2000,
  warmupMs: 0,
  timeoutMs: 3000,
  jitter: 0,
};

function sample(): LoadResult {
  const r = new Recorder(1);
  for (let i = 0; i < 1000; i++) {
    const us = i < 900 ? 300 + i : 20_000 + i * 50; // a fast body and a slow tail
    r.response(
      i * 2,
      us,
      i % 100 === 0 ? 503 : 200,
      i % 100 !== 0,
      0,
      0,
      150,
      100,
    );
  }
  r.error(1999, 'reset', 0, 0, 0);
  return buildResult(r.finish(2000), {
    config,
    startEpochMs: Date.UTC(2025, 5, 1, 12),
    durationMs: 2000,
    labels: 'mesh=istio',
  });
}

describe('fortio JSON', () => {
  it('exports fortio field names and units (seconds, nanoseconds)', () => {
    const r = sample();
    const f = toFortio(r);
    expect(f).toMatchObject({
      RunType: 'HTTP',
      Labels: 'mesh=istio',
      StartTime: '2025-06-01T12:00:00.000Z',
      RequestedQPS: '500',
      RequestedDuration: '2s',
      ActualQPS: r.requests.perSecond,
      ActualDuration: 2_000_000_000,
      NumThreads: 8,
      URL: 'http://svc.test:8080/echo',
      RetCodes: { '200': 990, '503': 10, '-1': 1 },
    });
    const h = f.DurationHistogram;
    expect(h.Count).toBe(1000);
    expect(h.Min).toBeCloseTo(0.0003, 6);
    expect(h.Max).toBeCloseTo(r.latencyMs.max / 1000, 6);
    expect(h.Percentiles?.map(p => p.Percentile)).toEqual([
      50, 75, 90, 99, 99.9, 99.99,
    ]);
    expect(h.Percentiles?.[0].Value).toBeCloseTo(r.latencyMs.p50 / 1000, 9);
    // Buckets: counts add up, Percent is cumulative and ends at 100.
    expect(h.Data.reduce((s, b) => s + b.Count, 0)).toBe(1000);
    expect(h.Data[h.Data.length - 1].Percent).toBeCloseTo(100);
    for (let i = 1; i < h.Data.length; i++) {
      expect(h.Data[i].Percent).toBeGreaterThan(h.Data[i - 1].Percent);
      expect(h.Data[i].Start).toBeGreaterThanOrEqual(h.Data[i - 1].End - 1e-12);
    }
    expect(h.Data[0].Start).toBe(h.Min);
    expect(f.Sizes?.Avg).toBe(150);
    expect(f.HeaderSizes?.Avg).toBe(100);
  });

  it('round-trips through export and import', () => {
    const r = sample();
    const back = fromFortio(JSON.parse(JSON.stringify(toFortio(r))));
    expect(back.source).toBe('fortio');
    expect(back.latencyMs).toEqual(r.latencyMs);
    expect(back.requests).toEqual(r.requests);
    expect(back.statusCodes).toEqual(r.statusCodes);
    expect(back.errors.total).toBe(1);
    expect(back.durationMs).toBe(2000);
    expect(back.startTime).toBe(r.startTime);
    expect(back.config).toMatchObject({
      mode: 'rate',
      requestedRps: 500,
      connections: 8,
      requestedDurationMs: 2000,
    });
    expect(back.histogram.approximate).toBe(true);
  });

  it('imports a result written by fortio itself', () => {
    // Abridged from `fortio load -json` output (fortio 1.x).
    const fortio = {
      RunType: 'HTTP',
      Labels: 'demo',
      StartTime: '2024-03-01T10:00:00.123456789Z',
      RequestedQPS: 'max',
      RequestedDuration: '5s',
      ActualQPS: 2905.1,
      ActualDuration: 5001906373,
      NumThreads: 4,
      Version: '1.63.0',
      DurationHistogram: {
        Count: 14531,
        Min: 0.000387,
        Max: 0.025,
        Sum: 19.9,
        Avg: 0.00137,
        StdDev: 0.0009,
        Data: [
          { Start: 0.000387, End: 0.001, Percent: 30, Count: 4359 },
          { Start: 0.001, End: 0.002, Percent: 95, Count: 9446 },
          { Start: 0.002, End: 0.025, Percent: 100, Count: 726 },
        ],
        Percentiles: [
          { Percentile: 50, Value: 0.0013 },
          { Percentile: 90, Value: 0.0019 },
          { Percentile: 99, Value: 0.0105 },
        ],
      },
      RetCodes: { '200': 14530, '-1': 1 },
      URL: 'http://localhost:8080/',
    };
    const r = fromFortio(fortio);
    expect(r.requests).toMatchObject({
      total: 14531,
      ok: 14530,
      failed: 1,
      perSecond: 2905.1,
    });
    expect(r.latencyMs).toMatchObject({
      p50: 1.3,
      p90: 1.9,
      p99: 10.5,
      min: 0.387,
      max: 25,
    });
    // p75 was not reported: it comes from the rebuilt histogram (in the 1-2 ms bucket).
    expect(r.latencyMs.p75).toBeGreaterThan(1);
    expect(r.latencyMs.p75).toBeLessThan(2);
    expect(r.config).toMatchObject({
      mode: 'max',
      connections: 4,
      requestedDurationMs: 5000,
    });
    expect(r.errors.other).toBe(1);
    expect(() => fromFortio({ hello: 1 })).toThrow(FortioImportError);
  });

  it('formats Go durations', () => {
    expect(goDuration(10_000)).toBe('10s');
    expect(goDuration(90_000)).toBe('1m30s');
    expect(goDuration(250)).toBe('250ms');
    expect(goDuration(3_600_000)).toBe('1h0m0s');
  });
});

describe('SMP and text output', () => {
  it('writes the SMP result shape', () => {
    const r = sample();
    const s = toSmp(r);
    expect(s.latencies_ms).toEqual({
      min: r.latencyMs.min,
      average: r.latencyMs.mean,
      p50: r.latencyMs.p50,
      p90: r.latencyMs.p90,
      p99: r.latencyMs.p99,
      max: r.latencyMs.max,
    });
    expect(s).toMatchObject({
      start_time: r.startTime,
      end_time: r.endTime,
      actual_qps: r.requests.perSecond,
      labels: { mesh: 'istio' },
    });
    expect(s.config.clients[0]).toMatchObject({
      load_generator: 'meshperf',
      protocol: 'http',
      connections: 8,
      rps: 500,
    });
  });

  it('prints a readable summary', () => {
    const text = formatText(sample());
    expect(text).toContain(
      'constant rate 500 req/s, 8 connections, 1 thread, 2s',
    );
    expect(text).toMatch(
      /Requests +1,001 in 2\.00s: 501 req\/s \(requested 500, 100\.1%\), 11 failed/,
    );
    expect(text).toMatch(/p99\.99 +\S+ms/);
    expect(text).toContain('200: 990  503: 10');
    expect(text).toContain('reset: 1');
  });
});
