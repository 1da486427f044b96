import type { BenchmarkComparison } from '@meshstage/plugin-mesh-common';
import { comparisonText } from './comparisonText';

const comparison: BenchmarkComparison = {
  baseline: 'a',
  runs: [],
  metrics: [
    {
      metric: 'throughput',
      unit: 'req/s',
      lowerIsBetter: false,
      values: [
        { runId: 'a', value: 1000 },
        {
          runId: 'b',
          value: 900,
          difference: {
            absolute: -100,
            relative: -0.1,
            verdict: 'regressed',
            reason: '',
          },
        },
      ],
    },
    {
      metric: 'errorRate',
      unit: 'ratio',
      lowerIsBetter: true,
      values: [
        { runId: 'a', value: 0 },
        {
          runId: 'b',
          value: 0.0125,
          difference: {
            absolute: 0.0125,
            relative: null,
            verdict: 'unjudged',
            reason: '',
          },
        },
      ],
    },
    {
      metric: 'p99',
      unit: 'ms',
      lowerIsBetter: true,
      values: [
        { runId: 'a', value: 10 },
        {
          runId: 'b',
          value: 10.4,
          difference: {
            absolute: 0.4,
            relative: 0.04,
            verdict: 'noise',
            reason: '',
          },
        },
      ],
    },
    { metric: 'p75', unit: 'ms', lowerIsBetter: true, values: [] },
  ],
  caveats: ['Proxies on cluster dev are simulated'],
};

describe('comparisonText', () => {
  it('is a Markdown table of the key metrics with differences, verdicts and caveats', () => {
    expect(comparisonText(comparison)).toBe(
      [
        '| Metric | Before | After | Difference | Verdict |',
        '| --- | --- | --- | --- | --- |',
        '| Throughput | 1000 req/s | 900 req/s | -100 req/s (-10%) | worse |',
        '| Error rate | 0% | 1.25% | +1.25% | not judged |',
        '| p99 | 10 ms | 10.4 ms | +0.4 ms (+4%) | within noise |',
        '',
        '> Proxies on cluster dev are simulated',
      ].join('\n'),
    );
  });
});
