import type {
  BenchmarkComparison,
  BenchmarkMetricComparison,
  BenchmarkVerdict,
} from '@meshstage/plugin-mesh-common';

const METRIC_LABELS: Record<string, string> = {
  throughput: 'Throughput',
  errorRate: 'Error rate',
  mean: 'Mean latency',
  min: 'Min latency',
  max: 'Max latency',
};

const VERDICTS: Record<BenchmarkVerdict, string> = {
  improved: 'better',
  regressed: 'worse',
  noise: 'within noise',
  'insufficient-data': 'not enough data',
  unjudged: 'not judged',
};

/** Metrics a template's summary shows; the Performance tab has the rest. */
const SHOWN = ['throughput', 'errorRate', 'p50', 'p90', 'p99', 'max'];

function value(v: number, unit: BenchmarkMetricComparison['unit']): string {
  if (unit === 'ratio') return `${Number((v * 100).toFixed(3))}%`;
  if (unit === 'req/s') return `${Number(v.toFixed(2))} req/s`;
  return `${Number(v.toFixed(3))} ms`;
}

/**
 * A two-run comparison (`GET /benchmark/compare`) as a Markdown table: metric, baseline, the
 * other run, the difference and the backend's noise verdict, then the comparison's caveats (such
 * as simulated proxies). Pure.
 */
export function comparisonText(comparison: BenchmarkComparison): string {
  const rows = SHOWN.flatMap(metric => {
    const m = comparison.metrics.find(x => x.metric === metric);
    const [base, other] = m?.values ?? [];
    if (!m || !base || !other) return [];
    const d = other.difference;
    const diff = d
      ? `${d.absolute > 0 ? '+' : ''}${value(d.absolute, m.unit)}${
          d.relative === null
            ? ''
            : ` (${d.relative > 0 ? '+' : ''}${Number(
                (d.relative * 100).toFixed(1),
              )}%)`
        }`
      : '';
    return [
      `| ${METRIC_LABELS[metric] ?? metric} | ${value(
        base.value,
        m.unit,
      )} | ${value(other.value, m.unit)} | ${diff} | ${
        d ? VERDICTS[d.verdict] : ''
      } |`,
    ];
  });
  const caveats = (comparison.caveats ?? []).map(c => `> ${c}`);
  return [
    '| Metric | Before | After | Difference | Verdict |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...(caveats.length ? ['', ...caveats] : []),
  ].join('\n');
}
