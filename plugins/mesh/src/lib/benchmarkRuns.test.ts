import type { BenchmarkRunView } from '@meshstage/plugin-mesh-common';
import {
  compareSelection,
  progressSeries,
  runTargetLabel,
  trendSeries,
} from './benchmarkRuns';

const run = (
  id: string,
  createdAt: string,
  extra: Partial<BenchmarkRunView> = {},
  p99 = 10,
  rps = 100,
): BenchmarkRunView =>
  ({
    id,
    profileId: 'p1',
    state: 'succeeded',
    trigger: 'manual',
    createdBy: 'user:default/guest',
    createdAt,
    profile: { name: 'echo' },
    result: { latencyMs: { p99 }, actualRps: rps },
    ...extra,
  } as BenchmarkRunView);

describe('progressSeries', () => {
  it('keeps one point per second, in order, with latency when reported', () => {
    const sample = (second: number, requests: number, p99?: number) => ({
      second,
      warmingUp: second < 0,
      requests,
      errors: 0,
      completed: 0,
      failed: 0,
      ratePerSecond: 0,
      ...(p99 ? { latencyMs: { p50: 1, p99, max: p99 } } : {}),
    });
    expect(
      progressSeries([
        sample(1, 20, 3),
        sample(-1, 5),
        sample(0, 10, 2),
        sample(1, 21, 4),
      ]),
    ).toEqual([
      { second: -1, warmingUp: true, requestsPerSecond: 5, errors: 0 },
      {
        second: 0,
        warmingUp: false,
        requestsPerSecond: 10,
        errors: 0,
        p50: 1,
        p99: 2,
      },
      {
        second: 1,
        warmingUp: false,
        requestsPerSecond: 21,
        errors: 0,
        p50: 1,
        p99: 4,
      },
    ]);
  });
});

describe('trendSeries', () => {
  it("orders a profile's succeeded runs by time with p99 and throughput", () => {
    const runs = [
      run(
        'b-2',
        '2026-12-02T10:00:00Z',
        { mesh: 'istio', meshVersion: '1.24.2' },
        12,
        90,
      ),
      run('a-1', '2026-12-01T10:00:00Z', {}, 10, 100),
      run('c-3', '2026-12-03T10:00:00Z', {
        state: 'failed',
        result: undefined,
      }),
      run('d-4', '2026-12-04T10:00:00Z', { profileId: 'other' }),
    ];
    expect(trendSeries(runs, 'p1')).toEqual([
      expect.objectContaining({
        runId: 'a-1',
        mesh: 'no mesh',
        p99: 10,
        throughput: 100,
      }),
      expect.objectContaining({
        runId: 'b-2',
        mesh: 'istio 1.24.2',
        p99: 12,
        throughput: 90,
      }),
    ]);
  });
});

describe('runTargetLabel', () => {
  it('names the mesh and version or a baseline', () => {
    expect(runTargetLabel({})).toBe('no mesh');
    expect(runTargetLabel({ mesh: 'linkerd' })).toBe('linkerd');
  });
});

describe('compareSelection', () => {
  const runs = [
    run('a-1', '2026-12-01T10:00:00Z'),
    run('b-2', '2026-12-02T10:00:00Z'),
    run('c-3', '2026-12-03T10:00:00Z', { state: 'running', result: undefined }),
  ];
  it('needs two to ten runs with results', () => {
    expect(compareSelection(runs, ['a-1'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/two or more/),
    });
    expect(compareSelection(runs, ['a-1', 'c-3'])).toEqual({
      ok: false,
      reason: 'Run c has no result',
    });
    expect(compareSelection(runs, ['a-1', 'b-2'])).toEqual({ ok: true });
  });
});
