import type { BenchmarkResultSummary } from '@meshstage/plugin-mesh-common';
import { brokenThresholds } from './benchmarkThresholds';

const result = (
  p99: number,
  failed: number,
  total: number,
  thresholds?: BenchmarkResultSummary['thresholds'],
) =>
  ({
    latencyMs: { p99 },
    requests: { total, failed, errorRate: failed / total },
    thresholds,
  } as unknown as BenchmarkResultSummary);

describe('brokenThresholds', () => {
  it('is empty within the limits, and without limits', () => {
    expect(
      brokenThresholds(result(20, 1, 1000), {
        maxP99Ms: 20,
        maxErrorRate: 0.001,
      }),
    ).toEqual([]);
    expect(brokenThresholds(result(9999, 1000, 1000), {})).toEqual([]);
  });

  it("names each broken limit with the measured value, and adds the profile's own", () => {
    expect(
      brokenThresholds(
        result(20.5, 25, 1000, {
          passed: false,
          broken: ['p99 20.5ms > 10ms'],
        }),
        { maxP99Ms: 20, maxErrorRate: 0.01 },
      ),
    ).toEqual([
      'p99 latency 20.5 ms is above the limit of 20 ms',
      'error rate 2.5% (25 of 1000 requests failed) is above the limit of 1%',
      'profile threshold: p99 20.5ms > 10ms',
    ]);
  });
});
