import {
  meanAndVariance,
  percentileRankInterval,
  tQuantile975,
  welchInterval,
} from './noise';

describe('noise statistics', () => {
  it('uses Student t quantiles for small samples and approaches 1.96', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(4.7)).toBe(2.776); // rounds down: wider interval
    expect(tQuantile975(60)).toBeCloseTo(2.0, 2);
    expect(tQuantile975(1000)).toBeCloseTo(1.962, 3);
    expect(tQuantile975(0.5)).toBe(Infinity);
  });

  it('computes the sample variance with n - 1', () => {
    expect(meanAndVariance([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({
      n: 8,
      mean: 5,
      variance: 32 / 7,
    });
  });

  it('gives a Welch interval matching a hand computation', () => {
    const a = [10, 12, 14];
    const b = [20, 21, 22, 23];
    const w = welchInterval(a, b)!;
    // va = 4/3, vb = (5/3)/4 = 5/12; se = sqrt(1.75); df = 1.75^2 / ((4/3)^2/2 + (5/12)^2/3)
    const df = 1.75 ** 2 / ((4 / 3) ** 2 / 2 + (5 / 12) ** 2 / 3);
    expect(w.difference).toBeCloseTo(9.5, 10);
    expect(w.degreesOfFreedom).toBeCloseTo(df, 10);
    expect(w.halfWidth).toBeCloseTo(tQuantile975(df) * Math.sqrt(1.75), 10);
  });

  it('has no interval with fewer than two samples a side', () => {
    expect(welchInterval([1], [1, 2])).toBeUndefined();
  });

  it('narrows the percentile rank interval as samples grow', () => {
    const small = percentileRankInterval(99, 100);
    const large = percentileRankInterval(99, 1_000_000);
    expect(small.high).toBe(100); // clamped
    expect(small.low).toBeCloseTo(
      99 - 1.96 * Math.sqrt((0.99 * 0.01) / 100) * 100,
      6,
    );
    expect(large.high - large.low).toBeCloseTo(
      2 * 1.96 * Math.sqrt(0.0099 / 1e6) * 100,
      6,
    );
  });
});
