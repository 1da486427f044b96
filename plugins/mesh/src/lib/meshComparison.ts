import type {
  BenchmarkComparison,
  BenchmarkMetricComparison,
  BenchmarkMetricValue,
  BenchmarkRunView,
} from '@meshstage/plugin-mesh-common';

/** The metrics the comparison table shows, in column order. */
export const COMPARISON_METRICS = [
  'p50',
  'p99',
  'throughput',
  'errorRate',
] as const;

/** One row of the mesh comparison: a run with its metrics and differences to the baseline. */
export interface ComparisonRow {
  runId: string;
  baseline: boolean;
  /** The mesh and version under test, or "no mesh (baseline)". */
  label: string;
  mesh?: string;
  meshVersion?: string;
  values: Record<string, BenchmarkMetricValue | undefined>;
}

/** Rows of the comparison, the baseline first, in the backend's run order. Pure. */
export function comparisonRows(c: BenchmarkComparison): ComparisonRow[] {
  const byMetric = new Map<string, BenchmarkMetricComparison>(
    c.metrics.map(m => [m.metric, m]),
  );
  return c.runs.map(run => {
    const values: ComparisonRow['values'] = {};
    for (const metric of COMPARISON_METRICS) {
      values[metric] = byMetric
        .get(metric)
        ?.values.find(v => v.runId === run.id);
    }
    return {
      runId: run.id,
      baseline: run.id === c.baseline,
      label: run.mesh
        ? `${run.mesh}${run.meshVersion ? ` ${run.meshVersion}` : ''}`
        : 'no mesh',
      mesh: run.mesh,
      meshVersion: run.meshVersion,
      values,
    };
  });
}

/**
 * The runs to compare by default from a profile's succeeded runs (newest first): the newest
 * no-mesh run as the baseline, then the newest run of each mesh and version; when that leaves
 * nothing to compare with, the next newest run. Pure.
 */
export function defaultComparisonSelection(runs: BenchmarkRunView[]): {
  baseline?: string;
  others: string[];
} {
  const done = runs.filter(r => r.state === 'succeeded');
  const baseline = done.find(r => !r.mesh)?.id;
  const seen = new Set<string>();
  const others: string[] = [];
  for (const r of done) {
    if (!r.mesh || r.id === baseline) continue;
    const key = `${r.mesh}@${r.meshVersion ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    others.push(r.id);
  }
  const chosenBaseline = baseline ?? others.shift();
  // Runs all without a mesh (or all of one mesh and version): compare the two newest, so the
  // table still shows run-to-run noise rather than nothing.
  if (others.length === 0) {
    const next = done.find(r => r.id !== chosenBaseline);
    if (next) others.push(next.id);
  }
  return { baseline: chosenBaseline, others };
}
