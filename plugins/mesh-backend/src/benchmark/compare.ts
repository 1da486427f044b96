/**
 * Side-by-side comparison of benchmark results against a baseline, with a verdict per metric on
 * whether the difference is beyond run-to-run noise. Pure: works on stored results only; the
 * method is documented in docs/performance.md ("Comparing benchmark runs").
 */
import { decodeHistogram, type LoadResult } from '@meshstage/loadgen/model';
import type {
  BenchmarkMetricComparison as MetricComparison,
  BenchmarkMetricValue as MetricValue,
} from '@meshstage/plugin-mesh-common';
import {
  MIN_TAIL_SAMPLES,
  meanAndVariance,
  percentileRankInterval,
  tailSamples,
  welchInterval,
  Z_975,
} from './noise';

/** The comparison's wire types are defined once, in mesh-common (shared with the frontend). */
export type {
  BenchmarkVerdict as Verdict,
  BenchmarkMetricValue as MetricValue,
  BenchmarkMetricComparison as MetricComparison,
} from '@meshstage/plugin-mesh-common';

/** A run's result as compared. */
export interface ComparedRun {
  runId: string;
  result: LoadResult;
}

/** Tuning of the noise test. */
export interface CompareOptions {
  /**
   * Smallest relative difference ever called significant, whatever the statistics say: runs on
   * different days, nodes or neighbours differ by a few percent that no within-run spread shows.
   */
  relativeFloor?: number;
}

/** The default relative floor: 5%. */
export const DEFAULT_RELATIVE_FLOOR = 0.05;

const round = (v: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

type Hist = ReturnType<typeof decodeHistogram>;

/** Seconds of a run that were measured in full (a run stretched past its end adds a partial one). */
function completeSeconds(r: LoadResult): number {
  return Math.max(0, Math.floor(r.durationMs / 1000 + 1e-6));
}

/** Requests completed in each full second, 0 for seconds without any. */
export function perSecondRequests(r: LoadResult): number[] {
  const n = completeSeconds(r);
  const counts = new Array<number>(n).fill(0);
  for (const s of r.timeSeries) {
    if (s.second < n) counts[s.second] += s.requests;
  }
  return counts;
}

/** Mean latency (ms) of each full second that had responses, from its per-second histogram. */
export function perSecondMeans(r: LoadResult): number[] {
  const n = completeSeconds(r);
  const out: number[] = [];
  for (const s of r.timeSeries) {
    if (s.second >= n || !s.histogram) continue;
    const h = decodeHistogram(s.histogram);
    if (h.totalCount > 0) out.push(h.mean / 1000);
  }
  return out;
}

/** A percentile of a µs histogram in ms, rounded as loadgen's summary rounds it. */
export function percentileOf(h: Hist, percentile: number): number {
  return h.totalCount === 0
    ? 0
    : round(h.getValueAtPercentile(percentile) / 1000);
}

function relative(base: number, value: number): number | null {
  return base === 0 ? null : (value - base) / base;
}

function directed(
  diff: number,
  lowerIsBetter: boolean,
): 'improved' | 'regressed' {
  return diff < 0 === lowerIsBetter ? 'improved' : 'regressed';
}

function belowFloor(base: number, value: number, floor: number): boolean {
  const rel = relative(base, value);
  return rel === null ? value === 0 : Math.abs(rel) <= floor;
}

/** Verdict from a Welch interval on per-second samples (throughput, mean latency). */
function welchVerdict(
  a: number[],
  b: number[],
  base: number,
  value: number,
  lowerIsBetter: boolean,
  floor: number,
): NonNullable<MetricValue['difference']> {
  const absolute = round(value - base);
  const rel = relative(base, value);
  const w = welchInterval(a, b);
  if (!w) {
    return {
      absolute,
      relative: rel === null ? null : round(rel, 4),
      verdict: 'insufficient-data',
      reason: `needs at least 2 full seconds per run (have ${a.length} and ${b.length})`,
    };
  }
  const noise = round(w.halfWidth);
  if (belowFloor(base, value, floor)) {
    return {
      absolute,
      relative: rel === null ? null : round(rel, 4),
      verdict: 'noise',
      noise,
      reason: `within the ${floor * 100}% floor`,
    };
  }
  if (Math.abs(w.difference) <= w.halfWidth) {
    return {
      absolute,
      relative: rel === null ? null : round(rel, 4),
      verdict: 'noise',
      noise,
      reason: `inside the 95% Welch interval of the per-second samples (±${noise})`,
    };
  }
  return {
    absolute,
    relative: rel === null ? null : round(rel, 4),
    verdict: directed(value - base, lowerIsBetter),
    noise,
    reason: `beyond the ${
      floor * 100
    }% floor and the 95% Welch interval (±${noise})`,
  };
}

/** Verdict for a percentile from distribution-free order-statistic intervals on both histograms. */
function percentileVerdict(
  ha: Hist,
  hb: Hist,
  percentile: number,
  floor: number,
): NonNullable<MetricValue['difference']> {
  const base = percentileOf(ha, percentile);
  const value = percentileOf(hb, percentile);
  const absolute = round(value - base);
  const rel = relative(base, value);
  const relRounded = rel === null ? null : round(rel, 4);
  const tails = Math.min(
    tailSamples(percentile, ha.totalCount),
    tailSamples(percentile, hb.totalCount),
  );
  if (tails < MIN_TAIL_SAMPLES) {
    return {
      absolute,
      relative: relRounded,
      verdict: 'insufficient-data',
      reason: `fewer than ${MIN_TAIL_SAMPLES} samples beyond p${percentile} in a run (${Math.floor(
        tails,
      )})`,
    };
  }
  const ia = percentileRankInterval(percentile, ha.totalCount);
  const ib = percentileRankInterval(percentile, hb.totalCount);
  const aLow = percentileOf(ha, ia.low);
  const aHigh = percentileOf(ha, ia.high);
  const bLow = percentileOf(hb, ib.low);
  const bHigh = percentileOf(hb, ib.high);
  const noise = round(Math.max(aHigh - aLow, bHigh - bLow) / 2);
  if (belowFloor(base, value, floor)) {
    return {
      absolute,
      relative: relRounded,
      verdict: 'noise',
      noise,
      reason: `within the ${floor * 100}% floor`,
    };
  }
  if (bLow <= aHigh && aLow <= bHigh) {
    return {
      absolute,
      relative: relRounded,
      verdict: 'noise',
      noise,
      reason: `95% intervals overlap (baseline ${aLow}..${aHigh} ms, this run ${bLow}..${bHigh} ms)`,
    };
  }
  return {
    absolute,
    relative: relRounded,
    verdict: directed(value - base, true),
    noise,
    reason: `beyond the ${
      floor * 100
    }% floor; 95% intervals apart (baseline ${aLow}..${aHigh} ms, this run ${bLow}..${bHigh} ms)`,
  };
}

/** Verdict on error rates: a two-proportion z interval on the pooled rate. */
function errorRateVerdict(
  a: LoadResult,
  b: LoadResult,
): NonNullable<MetricValue['difference']> {
  const pa = a.requests.errorRate;
  const pb = b.requests.errorRate;
  const na = a.requests.total;
  const nb = b.requests.total;
  const absolute = round(pb - pa, 6);
  const rel = relative(pa, pb);
  const relRounded = rel === null ? null : round(rel, 4);
  if (na === 0 || nb === 0) {
    return {
      absolute,
      relative: relRounded,
      verdict: 'insufficient-data',
      reason: 'a run completed no request',
    };
  }
  const pooled = (a.requests.failed + b.requests.failed) / (na + nb);
  const halfWidth =
    Z_975 * Math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb));
  const noise = round(halfWidth, 6);
  if (pa === pb) {
    return {
      absolute,
      relative: relRounded,
      verdict: 'noise',
      noise,
      reason: 'the same error rate',
    };
  }
  if (Math.abs(pb - pa) <= halfWidth) {
    return {
      absolute,
      relative: relRounded,
      verdict: 'noise',
      noise,
      reason: `inside the 95% two-proportion interval (±${noise})`,
    };
  }
  return {
    absolute,
    relative: relRounded,
    verdict: directed(pb - pa, true),
    noise,
    reason: `beyond the 95% two-proportion interval (±${noise})`,
  };
}

const PERCENTILES: [string, number][] = [
  ['p50', 50],
  ['p75', 75],
  ['p90', 90],
  ['p99', 99],
  ['p99.9', 99.9],
  ['p99.99', 99.99],
];

/**
 * Compares runs against the first (the baseline): throughput, error rate, mean latency, each
 * percentile, min and max, each with absolute and relative difference and a noise verdict.
 * Percentiles are recomputed from the stored HDR histograms, so they are exactly what each run's
 * summary reported.
 */
export function compareResults(
  runs: ComparedRun[],
  options: CompareOptions = {},
): MetricComparison[] {
  if (runs.length < 2) throw new Error('compareResults needs two runs or more');
  const floor = options.relativeFloor ?? DEFAULT_RELATIVE_FLOOR;
  const hists = runs.map(r => decodeHistogram(r.result.histogram.data));
  const [base, ...others] = runs;
  const rows: MetricComparison[] = [];

  const welchRow = (
    metric: string,
    unit: MetricComparison['unit'],
    lowerIsBetter: boolean,
    valueOf: (r: LoadResult, i: number) => number,
    samplesOf: (r: LoadResult) => number[],
  ) => {
    const baseValue = valueOf(base.result, 0);
    const baseSamples = samplesOf(base.result);
    rows.push({
      metric,
      unit,
      lowerIsBetter,
      values: [
        { runId: base.runId, value: baseValue },
        ...others.map((r, j) => {
          const value = valueOf(r.result, j + 1);
          return {
            runId: r.runId,
            value,
            difference: welchVerdict(
              baseSamples,
              samplesOf(r.result),
              baseValue,
              value,
              lowerIsBetter,
              floor,
            ),
          };
        }),
      ],
    });
  };

  welchRow(
    'throughput',
    'req/s',
    false,
    r => r.requests.perSecond,
    perSecondRequests,
  );
  rows.push({
    metric: 'errorRate',
    unit: 'ratio',
    lowerIsBetter: true,
    values: [
      { runId: base.runId, value: base.result.requests.errorRate },
      ...others.map(r => ({
        runId: r.runId,
        value: r.result.requests.errorRate,
        difference: errorRateVerdict(base.result, r.result),
      })),
    ],
  });
  welchRow(
    'mean',
    'ms',
    true,
    (_r, i) => (hists[i].totalCount ? round(hists[i].mean / 1000) : 0),
    perSecondMeans,
  );
  for (const [metric, percentile] of PERCENTILES) {
    rows.push({
      metric,
      unit: 'ms',
      lowerIsBetter: true,
      values: [
        { runId: base.runId, value: percentileOf(hists[0], percentile) },
        ...others.map((r, j) => ({
          runId: r.runId,
          value: percentileOf(hists[j + 1], percentile),
          difference: percentileVerdict(
            hists[0],
            hists[j + 1],
            percentile,
            floor,
          ),
        })),
      ],
    });
  }
  for (const metric of ['min', 'max'] as const) {
    const baseValue = base.result.latencyMs[metric];
    rows.push({
      metric,
      unit: 'ms',
      lowerIsBetter: true,
      values: [
        { runId: base.runId, value: baseValue },
        ...others.map(r => {
          const value = r.result.latencyMs[metric];
          const rel = relative(baseValue, value);
          return {
            runId: r.runId,
            value,
            difference: {
              absolute: round(value - baseValue),
              relative: rel === null ? null : round(rel, 4),
              verdict: 'unjudged' as const,
              reason: 'a single extreme value has no noise model',
            },
          };
        }),
      ],
    });
  }
  return rows;
}

/** Mean and spread of a run's per-second throughput, for display beside the comparison. */
export function throughputSpread(r: LoadResult): {
  seconds: number;
  mean: number;
  stddev: number;
} {
  const m = meanAndVariance(perSecondRequests(r));
  return {
    seconds: m.n,
    mean: m.n ? round(m.mean, 2) : 0,
    stddev: m.n > 1 ? round(Math.sqrt(m.variance), 2) : 0,
  };
}
