/**
 * Pure views of a benchmark result for the Performance tab: the percentile table, the HdrHistogram
 * style latency distribution (latency against percentile on a log scale of 1/(1-p)), status codes
 * and errors.
 */
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import type {
  BenchmarkErrorKind,
  BenchmarkLatencySummary,
} from '@meshstage/plugin-mesh-common';

/** One row of the percentile table. */
export interface PercentileRow {
  label: string;
  /** 0..100; undefined for min and mean. */
  percentile?: number;
  ms: number;
}

/** The percentile table of a latency summary: min, mean, p50 ... p99.99, max. */
export function percentileRows(l: BenchmarkLatencySummary): PercentileRow[] {
  return [
    { label: 'min', percentile: 0, ms: l.min },
    { label: 'mean', ms: l.mean },
    { label: 'p50', percentile: 50, ms: l.p50 },
    { label: 'p75', percentile: 75, ms: l.p75 },
    { label: 'p90', percentile: 90, ms: l.p90 },
    { label: 'p99', percentile: 99, ms: l.p99 },
    { label: 'p99.9', percentile: 99.9, ms: l.p999 },
    { label: 'p99.99', percentile: 99.99, ms: l.p9999 },
    { label: 'max', percentile: 100, ms: l.max },
  ];
}

/** What {@link hdrPlot} needs of a histogram: a compressed-base64 HDR histogram of µs values. */
export interface HistogramSeries {
  key: string;
  data: string;
}

/** A row of the distribution plot: `x` = 1/(1-q), and each series' latency at q, in ms. */
export type HdrPlotRow = { x: number; percentile: number } & Record<
  string,
  number
>;

/** The plot's rows and the x domain's upper end (the largest count, at least 10). */
export interface HdrPlot {
  rows: HdrPlotRow[];
  xMax: number;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

interface DecodedHistogram {
  totalCount: number;
  getValueAtPercentile(p: number): number;
}

function decode(data: string): DecodedHistogram {
  return decodeFromCompressedBase64(
    data,
    64,
    false,
  ) as unknown as DecodedHistogram;
}

/**
 * HdrHistogram's percentile distribution on one shared grid: q_k = 1 - 10^(-k/10), k = 0, 1, ...
 * while 1/(1-q) does not exceed the largest count (beyond it the tail is one sample), plus the
 * maximum of each series at its own count. A series contributes values up to its own count.
 */
export function hdrPlot(series: HistogramSeries[]): HdrPlot {
  const decoded = series
    .map(s => ({ key: s.key, h: decode(s.data) }))
    .filter(s => s.h.totalCount > 0);
  const maxCount = Math.max(0, ...decoded.map(s => s.h.totalCount));
  const rows: HdrPlotRow[] = [];
  for (let k = 0; ; k++) {
    const x = 10 ** (k / 10);
    if (x > maxCount) break;
    const percentile = (1 - 1 / x) * 100;
    const row = { x: round3(x), percentile: round3(percentile) } as HdrPlotRow;
    for (const { key, h } of decoded) {
      if (x <= h.totalCount) {
        row[key] = round3(h.getValueAtPercentile(percentile) / 1000);
      }
    }
    rows.push(row);
  }
  return { rows, xMax: Math.max(10, maxCount) };
}

/** Tick label of the distribution's x axis: 1 → 0%, 10 → 90%, 100 → 99%, 1000 → 99.9%. */
export function percentileTick(x: number): string {
  const p = (1 - 1 / x) * 100;
  return `${Number(p.toFixed(6))}%`;
}

/** Ticks of the x axis up to `xMax`: 1, 10, 100, ... */
export function percentileTicks(xMax: number): number[] {
  const ticks: number[] = [];
  for (let t = 1; t <= xMax; t *= 10) ticks.push(t);
  return ticks;
}

/** Status codes by count, most frequent first. */
export function statusCodeRows(
  codes: Record<string, number>,
  total: number,
): { code: string; count: number; share: number }[] {
  return Object.entries(codes)
    .map(([code, count]) => ({
      code,
      count,
      share: total > 0 ? count / total : 0,
    }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

const errorLabels: Record<BenchmarkErrorKind, string> = {
  timeout: 'Timeouts',
  reset: 'Connection resets',
  refused: 'Connections refused',
  other: 'Other transport errors',
};

/** Transport errors with at least one occurrence. */
export function errorRows(
  errors: Record<BenchmarkErrorKind, number> & { total: number },
): { kind: BenchmarkErrorKind; label: string; count: number }[] {
  return (Object.keys(errorLabels) as BenchmarkErrorKind[])
    .filter(kind => (errors[kind] ?? 0) > 0)
    .map(kind => ({ kind, label: errorLabels[kind], count: errors[kind] }));
}

/** A latency in ms for display: three significant decimals under 10 ms. */
export function formatMs(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(1)} ms`;
  if (ms >= 10) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(3)} ms`;
}
