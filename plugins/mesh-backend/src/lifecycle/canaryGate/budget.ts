import { parseDuration } from '@meshstage/loadgen/model';

/** How much p99 may rise: a share of the baseline's p99, or a fixed number of milliseconds. */
export type P99Allowance =
  | { kind: 'relative'; ratio: number }
  | { kind: 'absolute'; ms: number };

/**
 * Reads a p99 budget, `20%` or a duration with its unit (`50ms`, `1s`). Pure; throws a sentence
 * for the user on anything else (a negative amount, a bare number, a typo).
 */
export function parseP99Allowance(text: string): P99Allowance {
  const s = text.trim();
  if (s.startsWith('-')) {
    throw new Error(`must not be negative (got ${text})`);
  }
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (percent) return { kind: 'relative', ratio: Number(percent[1]) / 100 };
  // A unit is required: loadgen reads a bare number as seconds, which a budget must not guess.
  if (/^\d+(\.\d+)?$/.test(s)) {
    throw new Error(
      `give a unit: a percentage such as 20% or a duration such as 50ms (got ${text})`,
    );
  }
  try {
    return { kind: 'absolute', ms: parseDuration(s) };
  } catch {
    throw new Error(
      `expected a percentage such as 20% or a duration such as 50ms (got ${text})`,
    );
  }
}

/** The allowance in milliseconds over a baseline p99 (ms). */
export function allowedP99IncreaseMs(
  allowance: P99Allowance,
  baselineP99Ms: number,
): number {
  return allowance.kind === 'absolute'
    ? allowance.ms
    : allowance.ratio * baselineP99Ms;
}
