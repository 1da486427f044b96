/**
 * The statistics behind "is this difference beyond run-to-run noise?". Pure functions; the method
 * is described in docs/performance.md ("Comparing benchmark runs").
 */

/** Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
  2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074,
  2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The normal quantile of a two-sided 95% interval. */
export const Z_975 = 1.96;

/**
 * Student's t quantile for a two-sided 95% interval. Fractional degrees of freedom (Welch) round
 * down, which widens the interval: the conservative side.
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Infinity;
  const d = Math.floor(df);
  if (d <= 30) return T_975[d - 1];
  // Within 0.2% of the exact quantile from 31 degrees of freedom on.
  return Z_975 + 2.4 / d;
}

/** Mean and sample variance (n - 1). */
export function meanAndVariance(xs: readonly number[]): {
  n: number;
  mean: number;
  variance: number;
} {
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, variance: NaN };
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance =
    n < 2 ? NaN : xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance };
}

/** A Welch interval on the difference of two means (b - a). */
export interface WelchInterval {
  difference: number;
  /** Half-width of the 95% interval: differences inside ±this are explained by noise. */
  halfWidth: number;
  degreesOfFreedom: number;
}

/**
 * Welch's 95% interval for the difference of the means of two samples with unequal variances;
 * undefined when either sample has fewer than two values (no variance to judge noise by).
 */
export function welchInterval(
  a: readonly number[],
  b: readonly number[],
): WelchInterval | undefined {
  const A = meanAndVariance(a);
  const B = meanAndVariance(b);
  if (A.n < 2 || B.n < 2) return undefined;
  const va = A.variance / A.n;
  const vb = B.variance / B.n;
  const se = Math.sqrt(va + vb);
  // Welch–Satterthwaite; two constant samples have no spread at all (infinite df, zero width).
  const df =
    se === 0
      ? Infinity
      : (va + vb) ** 2 / (va ** 2 / (A.n - 1) + vb ** 2 / (B.n - 1));
  return {
    difference: B.mean - A.mean,
    halfWidth: se === 0 ? 0 : tQuantile975(df) * se,
    degreesOfFreedom: df,
  };
}

/**
 * The percentile ranks that bound a distribution-free 95% confidence interval for the
 * `percentile`-th percentile of `count` samples: the estimate's rank is binomial, with standard
 * deviation sqrt(q(1 - q)/n). Returned as percentiles (0..100), clamped.
 */
export function percentileRankInterval(
  percentile: number,
  count: number,
): { low: number; high: number } {
  const q = percentile / 100;
  const sd = count > 0 ? Math.sqrt((q * (1 - q)) / count) : 1;
  return {
    low: Math.max(0, (q - Z_975 * sd) * 100),
    high: Math.min(100, (q + Z_975 * sd) * 100),
  };
}

/**
 * Samples needed beyond a percentile before it says anything: with fewer than this many values
 * above p99.9, the "p99.9" is one or two outliers (p99.9 of 1,000 samples is the second-largest).
 */
export const MIN_TAIL_SAMPLES = 10;

/** How many samples lie beyond a percentile. */
export function tailSamples(percentile: number, count: number): number {
  // Rounded: 100 x (1 - 0.9) is 9.999999999999998 in floating point.
  return Math.round(count * (1 - percentile / 100) * 1e6) / 1e6;
}
