import { matchesLabelSelector } from './labelSelector';

const labels = { app: 'istiod', 'istio.io/rev': '1-24', tier: 'control' };

describe('matchesLabelSelector', () => {
  it.each([
    ['', true],
    ['app=istiod', true],
    ['app==istiod', true],
    ['app=other', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['app=istiod,tier=control', true],
    ['app=istiod,tier=data', false],
    ['istio.io/rev in (1-23,1-24)', true],
    ['istio.io/rev in (1-23)', false],
    ['istio.io/rev notin (1-23)', true],
    ['missing notin (1-23)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app in (istiod, pilot), !missing', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, selector)).toBe(expected);
  });

  it('rejects a malformed selector', () => {
    expect(() => matchesLabelSelector(labels, 'a b c')).toThrow(
      /Invalid label selector/,
    );
  });
});
