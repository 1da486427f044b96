import type { LoadResult } from '@meshstage/loadgen';
import { evaluateGate, gateThresholds } from './thresholds';

/** A result with the figures thresholds read; the rest is irrelevant to the gate. */
function result(r: {
  total: number;
  failed: number;
  perSecond: number;
  p99: number;
}): LoadResult {
  return {
    requests: {
      total: r.total,
      ok: r.total - r.failed,
      failed: r.failed,
      perSecond: r.perSecond,
      errorRate: r.total ? r.failed / r.total : 0,
    },
    latencyMs: {
      min: 1,
      mean: r.p99 / 4,
      stddev: 1,
      p50: r.p99 / 5,
      p75: r.p99 / 3,
      p90: r.p99 / 2,
      p99: r.p99,
      p999: r.p99 * 1.5,
      p9999: r.p99 * 2,
      max: r.p99 * 2,
    },
  } as LoadResult;
}

const healthy = result({ total: 2000, failed: 0, perSecond: 400, p99: 12 });
const failing = result({ total: 200, failed: 200, perSecond: 1500, p99: 3 });

describe('gateThresholds', () => {
  it('lets a flag replace the same threshold of a profile and keeps the others', () => {
    expect(
      gateThresholds(
        { maxP99Ms: 250, maxErrorRate: 0.01 },
        { maxP99Ms: 100, minRps: 50 },
      ),
    ).toEqual({ maxP99Ms: 100, maxErrorRate: 0.01, minRps: 50 });
  });

  it('uses the flags alone without a profile, and the profile alone without flags', () => {
    expect(gateThresholds(undefined, { maxErrorRate: 0 })).toEqual({
      maxErrorRate: 0,
    });
    expect(gateThresholds({ maxP99Ms: 250 }, {})).toEqual({ maxP99Ms: 250 });
  });

  it('never lets an absent flag erase a profile threshold', () => {
    expect(
      gateThresholds({ maxErrorRate: 0.01 }, { maxErrorRate: undefined }),
    ).toEqual({ maxErrorRate: 0.01 });
  });
});

describe('evaluateGate', () => {
  it('passes a run within every threshold, and a run with none', () => {
    expect(
      evaluateGate(healthy, {
        maxP99Ms: 250,
        maxErrorRate: 0.01,
        minRps: 100,
      }),
    ).toEqual({ exitCode: 0, broken: [] });
    expect(evaluateGate(failing, {})).toEqual({ exitCode: 0, broken: [] });
  });

  it('fails on the error rate whatever the latency', () => {
    expect(
      evaluateGate(failing, { maxErrorRate: 0.01, maxP99Ms: 2000 }),
    ).toEqual({
      exitCode: 1,
      broken: [
        'threshold --max-error-rate 1% broken: measured error rate 100% (200 of 200)',
      ],
    });
  });

  it('names every broken threshold with its measured value', () => {
    const verdict = evaluateGate(healthy, {
      maxP99Ms: 0.001,
      minRps: 1000,
      maxErrorRate: 0,
    });
    expect(verdict.exitCode).toBe(1);
    expect(verdict.broken).toEqual([
      'threshold --max-p99 1µs broken: measured p99 12.0ms',
      'threshold --min-rps 1000 broken: measured 400 req/s',
    ]);
  });

  it('holds the limit itself as passing', () => {
    expect(
      evaluateGate(healthy, { maxP99Ms: 12, maxErrorRate: 0, minRps: 400 })
        .exitCode,
    ).toBe(0);
  });

  it('fails a run in which nothing completed when any threshold is set', () => {
    const empty = result({ total: 0, failed: 0, perSecond: 0, p99: 0 });
    expect(evaluateGate(empty, { maxErrorRate: 1 })).toEqual({
      exitCode: 1,
      broken: ['no request completed, so no threshold can be met'],
    });
  });
});
