/**
 * Pass/fail thresholds for CI: checked against a result, each broken one
 * gives a one-line reason naming the flag and the measured value.
 *
 * @packageDocumentation
 */
import type { LoadResult } from '../types';
import { formatMs } from '../units';

/** Limits a run must stay within. */
export interface Thresholds {
  maxP50Ms?: number;
  maxP90Ms?: number;
  maxP99Ms?: number;
  maxP999Ms?: number;
  /** Largest acceptable `requests.errorRate` (0..1). */
  maxErrorRate?: number;
  /** Smallest acceptable `requests.perSecond`. */
  minRps?: number;
}

const pct = (v: number) => `${+(v * 100).toFixed(4)}%`;

/** Returns one line per broken threshold (empty when all hold). */
export function checkThresholds(r: LoadResult, t: Thresholds): string[] {
  const broken: string[] = [];
  const any = Object.values(t).some(v => v !== undefined);
  if (any && r.requests.total === 0)
    return ['no request completed, so no threshold can be met'];
  const latency: [keyof Thresholds, string, number][] = [
    ['maxP50Ms', 'p50', r.latencyMs.p50],
    ['maxP90Ms', 'p90', r.latencyMs.p90],
    ['maxP99Ms', 'p99', r.latencyMs.p99],
    ['maxP999Ms', 'p99.9', r.latencyMs.p999],
  ];
  for (const [key, name, measured] of latency) {
    const limit = t[key];
    if (limit === undefined) continue;
    if (measured > limit) {
      broken.push(
        `threshold --max-${name.replace('.', '')} ${formatMs(
          limit,
        )} broken: measured ${name} ${formatMs(measured)}`,
      );
    }
  }
  if (t.maxErrorRate !== undefined && r.requests.errorRate > t.maxErrorRate) {
    broken.push(
      `threshold --max-error-rate ${pct(
        t.maxErrorRate,
      )} broken: measured error rate ${pct(r.requests.errorRate)} ` +
        `(${r.requests.failed} of ${r.requests.total})`,
    );
  }
  if (t.minRps !== undefined && r.requests.perSecond < t.minRps) {
    broken.push(
      `threshold --min-rps ${t.minRps} broken: measured ${r.requests.perSecond} req/s`,
    );
  }
  return broken;
}
