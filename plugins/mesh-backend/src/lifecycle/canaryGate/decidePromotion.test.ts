import {
  constructedResult,
  spread,
} from '../../benchmark/__testUtils__/results';
import { parseP99Allowance } from './budget';
import { decidePromotion } from './decidePromotion';

/** Five seconds of `perSecond` responses each, latencies evenly spread over [low, high] ms. */
const run = (
  low: number,
  high: number,
  options: { perSecond?: number; failed?: number } = {},
) =>
  constructedResult(
    Array.from({ length: 5 }, () =>
      spread(options.perSecond ?? 1000, low, high),
    ),
    { failed: options.failed },
  );

const budget = (p99Increase: string, errorRateIncrease = 0.01) => ({
  p99Increase,
  errorRateIncrease,
});

describe('decidePromotion', () => {
  const baseline = run(1, 3);

  it('promotes a candidate whose p99 rose beyond noise but within the budget', () => {
    const candidate = run(1.1, 3.3); // p99 about +10%
    const decision = decidePromotion(baseline, candidate, budget('20%'));
    const p99 = decision.checks.find(c => c.metric === 'p99')!;
    expect(p99.verdict).toBe('regressed');
    expect(p99.relative).toBeGreaterThan(0.05);
    expect(p99.relative).toBeLessThan(0.2);
    expect(p99.within).toBe(true);
    expect(decision.promote).toBe(true);
    expect(decision.reason).toMatch(
      /^p99 rose \d+(\.\d)?% \(.* budget 20%\) beyond noise ±/,
    );
  });

  it('rolls back a candidate whose p99 rose more than the budget beyond noise, and says by how much', () => {
    const candidate = run(5, 15);
    const decision = decidePromotion(baseline, candidate, budget('20%'));
    expect(decision.promote).toBe(false);
    const p99 = decision.checks.find(c => c.metric === 'p99')!;
    expect(p99.within).toBe(false);
    expect(p99.allowed).toBeCloseTo(0.2 * p99.baseline, 3);
    expect(p99.beyondNoise).toBeGreaterThan(p99.allowed);
    // Only the broken check is the reason.
    expect(decision.reason).toBe(p99.summary);
    expect(p99.relative).toBeCloseTo(4, 1); // 3 ms -> 15 ms
    expect(decision.reason).toMatch(
      /^p99 rose 399\.9% \(2\.98\d → 14\.9\d\d ms; budget 20%\) beyond noise ±0\.\d+ ms$/,
    );
  });

  it('promotes an improvement and says it fell; an unchanged error rate is just that', () => {
    const faster = run(0.5, 1.5);
    const decision = decidePromotion(baseline, faster, budget('0%', 0));
    expect(decision.promote).toBe(true);
    expect(decision.checks[0].verdict).toBe('improved');
    expect(decision.reason).toMatch(
      /^p99 fell 50% \(2\.981 → 1\.49 ms; budget 0%\) beyond noise ±[\d.]+ ms; error rate unchanged \(0 → 0; budget \+0\)$/,
    );
  });

  it('takes a duration budget as milliseconds over the baseline', () => {
    const candidate = run(5, 15);
    expect(decidePromotion(baseline, candidate, budget('20ms')).promote).toBe(
      true,
    );
    expect(decidePromotion(baseline, candidate, budget('5ms')).promote).toBe(
      false,
    );
  });

  it('counts a regression by the part outside the noise interval', () => {
    const candidate = run(5, 15);
    const p99 = decidePromotion(baseline, candidate, budget('0%')).checks[0];
    // Just under and just over what is beyond noise.
    const justUnder = `${p99.increase - p99.noise! + 0.01}ms`;
    const justOver = `${p99.increase - p99.noise! - 0.01}ms`;
    expect(
      decidePromotion(baseline, candidate, budget(justUnder)).promote,
    ).toBe(true);
    expect(decidePromotion(baseline, candidate, budget(justOver)).promote).toBe(
      false,
    );
  });

  it('promotes a difference the noise test explains even with a zero budget', () => {
    // 2% higher: inside the 5% relative floor of the noise test.
    const candidate = run(1.02, 3.06);
    const decision = decidePromotion(baseline, candidate, budget('0%', 0));
    expect(decision.checks[0].increase).toBeGreaterThan(0);
    expect(decision.checks[0].verdict).toBe('noise');
    expect(decision.promote).toBe(true);
    expect(decision.reason).toMatch(/within noise/);
  });

  it('rolls back when the error rate rose beyond noise by more than its budget', () => {
    const failing = run(1, 3, { failed: 50 }); // 1% of 5,000
    const decision = decidePromotion(baseline, failing, budget('20%', 0.005));
    expect(decision.promote).toBe(false);
    const errors = decision.checks.find(c => c.metric === 'errorRate')!;
    expect(errors).toMatchObject({
      baseline: 0,
      candidate: 0.01,
      increase: 0.01,
      verdict: 'regressed',
      within: false,
    });
    expect(decision.reason).toMatch(
      /^error rate rose \+0\.01 \(0 → 0\.01; budget \+0\.005\) beyond noise ±0\.00\d+$/,
    );
    expect(
      decidePromotion(baseline, failing, budget('20%', 0.01)).promote,
    ).toBe(true);
  });

  it('lets an error-rate difference inside the two-proportion interval pass a zero budget', () => {
    const a = run(1, 3, { failed: 2 });
    const b = run(1, 3, { failed: 4 });
    const decision = decidePromotion(a, b, budget('20%', 0));
    expect(decision.checks[1].verdict).toBe('noise');
    expect(decision.promote).toBe(true);
  });

  it('judges the whole increase when too few samples lie beyond p99 to see the noise', () => {
    const small = run(1, 3, { perSecond: 100 }); // 500 samples: 5 beyond p99
    const slow = run(5, 15, { perSecond: 100 });
    const decision = decidePromotion(small, slow, budget('20%'));
    expect(decision.checks[0].verdict).toBe('insufficient-data');
    expect(decision.promote).toBe(false);
    expect(decision.reason).toMatch(
      /^p99 rose [\d.]+% \([\d.]+ → [\d.]+ ms; budget 20%\), not separable from noise: fewer than 10 samples beyond p99/,
    );
    // Within a generous budget even without a noise estimate.
    expect(decidePromotion(small, slow, budget('100ms')).promote).toBe(true);
  });

  it('never promotes when a run completed no request', () => {
    const empty = constructedResult([[], [], []]);
    expect(decidePromotion(baseline, empty, budget('1000%', 1))).toEqual({
      promote: false,
      checks: [],
      reason: 'the candidate run completed no request',
    });
  });
});

describe('parseP99Allowance', () => {
  it('reads a percentage or a duration with its unit', () => {
    expect(parseP99Allowance('20%')).toEqual({ kind: 'relative', ratio: 0.2 });
    expect(parseP99Allowance('0.5%')).toEqual({
      kind: 'relative',
      ratio: 0.005,
    });
    expect(parseP99Allowance('50ms')).toEqual({ kind: 'absolute', ms: 50 });
    expect(parseP99Allowance('1s')).toEqual({ kind: 'absolute', ms: 1000 });
  });

  it.each([
    ['-5%', /must not be negative/],
    ['-10ms', /must not be negative/],
    ['20', /give a unit/],
    ['20 percent', /expected a percentage such as 20% or a duration/],
    ['', /expected a percentage/],
  ])('refuses %p', (text, message) => {
    expect(() => parseP99Allowance(text)).toThrow(message);
  });
});
