/** Pure formatting of a benchmark comparison (`GET /benchmark/compare`). */
import type {
  BenchmarkMetricComparison,
  BenchmarkMetricValue,
  BenchmarkVerdict,
} from '@meshstage/plugin-mesh-common';

const metricLabels: Record<string, string> = {
  throughput: 'Throughput',
  errorRate: 'Error rate',
  mean: 'Mean latency',
  min: 'Min latency',
  max: 'Max latency',
};

/** A metric's display name (`p99` stays `p99`). */
export function metricLabel(metric: string): string {
  return metricLabels[metric] ?? metric;
}

/** A value with its unit. */
export function formatMetricValue(
  value: number,
  unit: BenchmarkMetricComparison['unit'],
): string {
  switch (unit) {
    case 'ratio':
      return `${Number((value * 100).toFixed(3))}%`;
    case 'req/s':
      return `${Number(value.toFixed(2))} req/s`;
    default:
      return `${Number(value.toFixed(3))} ms`;
  }
}

const signed = (v: number, text: string) => (v > 0 ? `+${text}` : text);

/** A difference: absolute with unit, and relative in percent when defined. */
export function formatDifference(
  difference: NonNullable<BenchmarkMetricValue['difference']>,
  unit: BenchmarkMetricComparison['unit'],
): string {
  const abs = signed(
    difference.absolute,
    formatMetricValue(difference.absolute, unit),
  );
  if (difference.relative === null) return abs;
  const rel = Number((difference.relative * 100).toFixed(1));
  return `${abs} (${signed(rel, `${rel}%`)})`;
}

const verdictLabels: Record<BenchmarkVerdict, string> = {
  improved: 'Better',
  regressed: 'Worse',
  noise: 'Within noise',
  'insufficient-data': 'Not enough data',
  unjudged: 'Not judged',
};

/** A verdict in words. */
export function verdictLabel(verdict: BenchmarkVerdict): string {
  return verdictLabels[verdict];
}

/** How a verdict is shown: ok (better), error (worse), or neutral. */
export function verdictTone(
  verdict: BenchmarkVerdict,
): 'ok' | 'error' | 'neutral' {
  if (verdict === 'improved') return 'ok';
  if (verdict === 'regressed') return 'error';
  return 'neutral';
}

/**
 * The words for a difference beyond noise: "mesh overhead" only when nothing limits the
 * comparison; with caveats (simulated proxies, loopback load) it is just a difference.
 */
export function differenceHeadline(
  verdict: BenchmarkVerdict,
  caveats: string[],
): string {
  const label = verdictLabel(verdict);
  if (verdict !== 'improved' && verdict !== 'regressed') return label;
  return caveats.length > 0
    ? `${label} (not attributable to the mesh: see the environment notes)`
    : label;
}
