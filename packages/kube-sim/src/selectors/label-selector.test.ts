import { ApiError } from '../server/status';
import {
  formatLabelSelector,
  formatLabelSelectorSpec,
  matchesLabels,
  parseLabelSelector,
  selectorFromSpec,
} from './label-selector';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', version: '3' };
  const matches = (s: string) => matchesLabels(parseLabelSelector(s), labels);

  it('supports every operator of the query syntax', () => {
    expect(matches('')).toBe(true);
    expect(matches('app=web')).toBe(true);
    expect(matches('app==web')).toBe(true);
    expect(matches('app!=web')).toBe(false);
    expect(matches('app!=api')).toBe(true);
    expect(matches('missing!=x')).toBe(true);
    expect(matches('tier in (front, back)')).toBe(true);
    expect(matches('tier notin (front)')).toBe(false);
    expect(matches('missing notin (x)')).toBe(true);
    expect(matches('app')).toBe(true);
    expect(matches('!app')).toBe(false);
    expect(matches('!missing')).toBe(true);
    expect(matches('version>2,version<4')).toBe(true);
    expect(matches('app=web,tier in (back)')).toBe(false);
    expect(matches('example.com/owner')).toBe(false);
    expect(matches('app=')).toBe(false);
    expect(matchesLabels(parseLabelSelector('app='), { app: '' })).toBe(true);
  });

  it('rejects malformed selectors with a 400', () => {
    for (const bad of [
      'app in (a',
      '=x',
      'a b',
      'app=web,',
      'app in',
      'a=b=c',
    ]) {
      expect(() => parseLabelSelector(bad)).toThrow(ApiError);
    }
    expect(() => parseLabelSelector('app in (a')).toThrow(
      expect.objectContaining({
        code: 400,
        message: expect.stringMatching(/^unable to parse requirement: /),
      }),
    );
  });

  it('converts LabelSelector objects and formats them like the API server', () => {
    const sel = selectorFromSpec({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    })!;
    expect(matchesLabels(sel, labels)).toBe(true);
    expect(formatLabelSelector(sel)).toBe(
      'app=web,!canary,tier in (back,front)',
    );
    expect(formatLabelSelector(parseLabelSelector('b=1,a in (y,x),!c'))).toBe(
      'a in (x,y),b=1,!c',
    );
    expect(formatLabelSelectorSpec({ matchLabels: { b: '2', a: '1' } })).toBe(
      'a=1,b=2',
    );
    expect(formatLabelSelectorSpec({})).toBe('<none>');
    expect(selectorFromSpec(undefined)).toBeNull();
  });
});
