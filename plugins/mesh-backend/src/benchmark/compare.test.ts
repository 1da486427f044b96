import { compareResults, perSecondRequests } from './compare';
import { constructedResult, spread } from './__testUtils__/results';

const metric = (rows: ReturnType<typeof compareResults>, name: string) =>
  rows.find(r => r.metric === name)!;
const verdict = (rows: ReturnType<typeof compareResults>, name: string) =>
  metric(rows, name).values[1].difference!.verdict;

/** Five seconds, each with `perSecond[i]` latencies evenly spread over [low, high] ms. */
function run(perSecond: number[], low: number, high: number) {
  return constructedResult(perSecond.map(n => spread(n, low, high)));
}

describe('compareResults', () => {
  it('reports percentiles exactly as each run summarised them', () => {
    const a = run([1000, 1000, 1000, 1000, 1000], 1, 3);
    const b = run([1000, 1000, 1000, 1000, 1000], 2, 6);
    const rows = compareResults([
      { runId: 'a', result: a },
      { runId: 'b', result: b },
    ]);
    for (const [name, key] of [
      ['p50', 'p50'],
      ['p90', 'p90'],
      ['p99', 'p99'],
      ['p99.9', 'p999'],
      ['mean', 'mean'],
    ] as const) {
      expect(metric(rows, name).values.map(v => v.value)).toEqual([
        a.latencyMs[key],
        b.latencyMs[key],
      ]);
    }
    const p50 = metric(rows, 'p50').values[1].difference!;
    expect(p50.absolute).toBeCloseTo(b.latencyMs.p50 - a.latencyMs.p50, 3);
    expect(p50.relative).toBeCloseTo(1, 1); // 2 ms -> 4 ms
    expect(p50.verdict).toBe('regressed');
    expect(verdict(rows, 'mean')).toBe('regressed');
    expect(verdict(rows, 'p99')).toBe('regressed');
    // Same request counts every second: no difference in throughput at all.
    expect(verdict(rows, 'throughput')).toBe('noise');
    // 5,000 samples: 5 beyond p99.9, 0.5 beyond p99.99.
    expect(verdict(rows, 'p99.9')).toBe('insufficient-data');
    expect(verdict(rows, 'p99.99')).toBe('insufficient-data');
    expect(verdict(rows, 'max')).toBe('unjudged');
  });

  it('calls lower latency and higher throughput improvements', () => {
    const a = run([1000, 1010, 990, 1005, 995], 2, 6);
    const b = run([1200, 1190, 1210, 1205, 1195], 1, 3);
    const rows = compareResults([
      { runId: 'a', result: a },
      { runId: 'b', result: b },
    ]);
    expect(verdict(rows, 'throughput')).toBe('improved');
    expect(verdict(rows, 'p50')).toBe('improved');
    expect(verdict(rows, 'mean')).toBe('improved');
  });

  it('keeps a 20% throughput change that the per-second spread explains as noise', () => {
    // Means 1000 and 1200 req/s, but seconds vary by ±500: Welch's interval is wider than 200.
    const a = run([500, 1500, 1000, 700, 1300], 1, 3);
    const b = run([1100, 1700, 600, 1400, 1200], 1, 3);
    const rows = compareResults([
      { runId: 'a', result: a },
      { runId: 'b', result: b },
    ]);
    const d = metric(rows, 'throughput').values[1].difference!;
    expect(d.relative).toBeCloseTo(0.2, 3);
    expect(d.verdict).toBe('noise');
    expect(d.noise!).toBeGreaterThan(200);
  });

  it('never calls a difference below the relative floor significant', () => {
    const a = run([1000, 1000, 1000, 1000, 1000], 1, 3);
    const b = run([1000, 1000, 1000, 1000, 1000], 1.06, 3.18); // +6%, tight
    const rows = compareResults([
      { runId: 'a', result: a },
      { runId: 'b', result: b },
    ]);
    expect(verdict(rows, 'p50')).toBe('regressed');
    const withFloor = compareResults(
      [
        { runId: 'a', result: a },
        { runId: 'b', result: b },
      ],
      { relativeFloor: 0.1 },
    );
    expect(verdict(withFloor, 'p50')).toBe('noise');
  });

  it('scales the percentile test with the sample count', () => {
    // +8% at p90: noise with 100 samples per run, significant with 10,000.
    const small = compareResults([
      { runId: 'a', result: run([100], 1, 3) },
      { runId: 'b', result: run([100], 1.08, 3.24) },
    ]);
    expect(verdict(small, 'p90')).toBe('noise');
    const large = compareResults([
      { runId: 'a', result: run([2000, 2000, 2000, 2000, 2000], 1, 3) },
      { runId: 'b', result: run([2000, 2000, 2000, 2000, 2000], 1.08, 3.24) },
    ]);
    expect(verdict(large, 'p90')).toBe('regressed');
  });

  it('needs two full seconds per run to judge throughput', () => {
    const rows = compareResults([
      { runId: 'a', result: run([1000], 1, 3) },
      { runId: 'b', result: run([2000], 1, 3) },
    ]);
    const d = metric(rows, 'throughput').values[1].difference!;
    expect(d.verdict).toBe('insufficient-data');
    expect(d.relative).toBe(1);
  });

  it('judges error rates with a two-proportion interval', () => {
    const a = constructedResult([spread(1000, 1, 3)]);
    const b = constructedResult([spread(1000, 1, 3)], { failed: 50 });
    const c = constructedResult([spread(1000, 1, 3)], { failed: 1 });
    const rows = compareResults([
      { runId: 'a', result: a },
      { runId: 'b', result: b },
      { runId: 'c', result: c },
    ]);
    const err = metric(rows, 'errorRate');
    expect(err.values.map(v => v.difference?.verdict)).toEqual([
      undefined,
      'regressed',
      'noise',
    ]);
  });

  it('counts only full seconds, with zeros for silent ones', () => {
    const r = constructedResult([spread(10, 1, 2), [], spread(5, 1, 2)]);
    expect(perSecondRequests(r)).toEqual([10, 0, 5]);
    expect(perSecondRequests({ ...r, durationMs: 2500 })).toEqual([10, 0]);
  });
});
