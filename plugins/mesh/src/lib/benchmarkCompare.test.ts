import {
  differenceHeadline,
  formatDifference,
  formatMetricValue,
  metricLabel,
  verdictLabel,
  verdictTone,
} from './benchmarkCompare';

describe('benchmark comparison formatting', () => {
  it('formats values by unit', () => {
    expect(formatMetricValue(1.23456, 'ms')).toBe('1.235 ms');
    expect(formatMetricValue(1684.666, 'req/s')).toBe('1684.67 req/s');
    expect(formatMetricValue(0.0125, 'ratio')).toBe('1.25%');
  });

  it('formats differences with sign and relative change', () => {
    expect(
      formatDifference(
        { absolute: 3.2, relative: 0.125, verdict: 'regressed', reason: '' },
        'ms',
      ),
    ).toBe('+3.2 ms (+12.5%)');
    expect(
      formatDifference(
        { absolute: -344, relative: -0.2042, verdict: 'noise', reason: '' },
        'req/s',
      ),
    ).toBe('-344 req/s (-20.4%)');
    expect(
      formatDifference(
        { absolute: 0.01, relative: null, verdict: 'regressed', reason: '' },
        'ratio',
      ),
    ).toBe('+1%');
  });

  it('names metrics and verdicts', () => {
    expect(metricLabel('throughput')).toBe('Throughput');
    expect(metricLabel('p99.9')).toBe('p99.9');
    expect(verdictLabel('noise')).toBe('Within noise');
    expect(verdictTone('regressed')).toBe('error');
    expect(verdictTone('insufficient-data')).toBe('neutral');
  });

  it('never calls a difference mesh overhead when the environment limits the comparison', () => {
    expect(differenceHeadline('regressed', [])).toBe('Worse');
    expect(differenceHeadline('regressed', ['simulated proxies'])).toMatch(
      /not attributable to the mesh/,
    );
    expect(differenceHeadline('noise', ['simulated proxies'])).toBe(
      'Within noise',
    );
  });
});
