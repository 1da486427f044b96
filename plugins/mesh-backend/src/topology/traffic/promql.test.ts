import {
  anyOfMatcher,
  isLabelName,
  isPrometheusDuration,
  promString,
} from './promql';

describe('promql helpers', () => {
  it.each(['30s', '5m', '1h30m', '250ms', '1d', '2w'])(
    '%s is a duration',
    d => {
      expect(isPrometheusDuration(d)).toBe(true);
    },
  );

  it.each(['', '5', '5 m', '-5m', '0s', '5min', 'PT5M', '5m;drop'])(
    '%j is not a duration',
    d => {
      expect(isPrometheusDuration(d)).toBe(false);
    },
  );

  it('checks label names', () => {
    expect(isLabelName('cluster')).toBe(true);
    expect(isLabelName('k8s_cluster')).toBe(true);
    expect(isLabelName('1cluster')).toBe(false);
    expect(isLabelName('cluster-name')).toBe(false);
  });

  it('quotes strings', () => {
    expect(promString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('matches one value exactly, several by an escaped alternation', () => {
    expect(anyOfMatcher('cluster', ['east'])).toBe('cluster="east"');
    expect(anyOfMatcher('cluster', ['east', 'eu.west-1'])).toBe(
      'cluster=~"east|eu\\\\.west-1"',
    );
  });
});
