/**
 * The verdict of a canary gate: whether the candidate's benchmark is within budget of the
 * baseline's beyond run-to-run noise. Pure: works on stored results only; the noise test is the
 * benchmark comparison's (compare.ts, docs/performance.md "Comparing benchmark runs").
 */
import type { LoadResult } from '@meshstage/loadgen/model';
import type { CanaryGateBudget } from '@meshstage/plugin-mesh-common';
import {
  compareResults,
  type CompareOptions,
  type MetricComparison,
  type Verdict,
} from '../../benchmark/compare';
import { allowedP99IncreaseMs, parseP99Allowance } from './budget';

/** One gated metric, judged. */
export interface GateCheck {
  metric: 'p99' | 'errorRate';
  /** Milliseconds for p99, a ratio for the error rate. */
  baseline: number;
  candidate: number;
  /** candidate - baseline. */
  increase: number;
  /** increase / baseline; null when the baseline is 0. */
  relative: number | null;
  /** Half-width of the noise interval, in the metric's unit; absent without enough data. */
  noise?: number;
  /** The comparison's verdict on the difference. */
  verdict: Verdict;
  /** The budget in the metric's unit. */
  allowed: number;
  /**
   * The part of the increase that noise does not explain: 0 when the difference is noise or an
   * improvement; the whole increase when there is too little data to tell.
   */
  beyondNoise: number;
  within: boolean;
  /** One clause for the log, e.g. `p99 rose 1320% (2.1 → 29.8 ms; budget 20%) beyond noise ±0.4 ms`. */
  summary: string;
}

/** What {@link decidePromotion} decides. */
export interface PromotionDecision {
  promote: boolean;
  checks: GateCheck[];
  /** One sentence: every check when promoting, the broken ones otherwise. */
  reason: string;
}

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

const percent = (ratio: number) => `${round(ratio * 100, 1)}%`;

function judge(
  row: MetricComparison,
  metric: GateCheck['metric'],
  allowed: number,
  budgetText: string,
): GateCheck {
  const [base, cand] = row.values;
  const difference = cand.difference!;
  const unit = metric === 'p99' ? ' ms' : '';
  const digits = metric === 'p99' ? 3 : 6;
  const increase = round(cand.value - base.value, digits);
  const noise = difference.noise;
  let beyondNoise: number;
  let noiseText: string;
  switch (difference.verdict) {
    case 'noise':
      beyondNoise = 0;
      noiseText = ` within noise ±${noise ?? 0}${unit}`;
      break;
    case 'improved':
      beyondNoise = 0;
      noiseText = ` beyond noise ±${noise ?? 0}${unit}`;
      break;
    case 'regressed':
      beyondNoise = Math.max(0, round(increase - (noise ?? 0), digits));
      noiseText = ` beyond noise ±${noise ?? 0}${unit}`;
      break;
    default:
      // Too little data to tell the difference from noise: judge all of it.
      beyondNoise = Math.max(0, increase);
      noiseText = `, not separable from noise: ${difference.reason}`;
  }
  const within = beyondNoise <= allowed;
  const name = metric === 'p99' ? 'p99' : 'error rate';
  let change: string;
  if (increase === 0) {
    change = 'unchanged';
    noiseText = '';
  } else if (difference.relative === null) {
    // From zero: no percentage to give.
    change = `rose +${increase}${unit}`;
  } else {
    change = `${increase > 0 ? 'rose' : 'fell'} ${percent(
      Math.abs(difference.relative),
    )}`;
  }
  return {
    metric,
    baseline: base.value,
    candidate: cand.value,
    increase,
    relative: difference.relative,
    ...(noise !== undefined ? { noise } : {}),
    verdict: difference.verdict,
    allowed: round(allowed, digits),
    beyondNoise,
    within,
    summary: `${name} ${change} (${base.value} → ${cand.value}${unit}; budget ${budgetText})${noiseText}`,
  };
}

/**
 * Whether a canary may be promoted: its p99 and error rate may rise by at most the budget beyond
 * run-to-run noise. A difference the noise test calls noise (or an improvement) is within any
 * budget; a regression counts by the part outside the noise interval; with too little data to
 * tell (fewer than 10 samples beyond p99 in a run), the whole increase counts. A run that
 * completed no request is never promoted. `noise` tunes the noise test (its relative floor).
 */
export function decidePromotion(
  baseline: LoadResult,
  candidate: LoadResult,
  budget: CanaryGateBudget,
  noise: CompareOptions = {},
): PromotionDecision {
  for (const [name, r] of [
    ['baseline', baseline],
    ['candidate', candidate],
  ] as const) {
    if (r.requests.total === 0) {
      return {
        promote: false,
        checks: [],
        reason: `the ${name} run completed no request`,
      };
    }
  }
  const rows = compareResults(
    [
      { runId: 'baseline', result: baseline },
      { runId: 'candidate', result: candidate },
    ],
    noise,
  );
  const row = (metric: string) => rows.find(r => r.metric === metric)!;
  const p99Row = row('p99');
  const checks = [
    judge(
      p99Row,
      'p99',
      allowedP99IncreaseMs(
        parseP99Allowance(budget.p99Increase),
        p99Row.values[0].value,
      ),
      budget.p99Increase,
    ),
    judge(
      row('errorRate'),
      'errorRate',
      budget.errorRateIncrease,
      `+${budget.errorRateIncrease}`,
    ),
  ];
  const broken = checks.filter(c => !c.within);
  return {
    promote: broken.length === 0,
    checks,
    reason: (broken.length ? broken : checks).map(c => c.summary).join('; '),
  };
}
