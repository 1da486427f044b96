import { ConfigReader } from '@backstage/config';
import { readOnboardingConfig } from './readOnboardingConfig';

const read = (onboarding: object) =>
  readOnboardingConfig(new ConfigReader({ mesh: { onboarding } }));

describe('readOnboardingConfig', () => {
  it('is manual with zero config', () => {
    expect(readOnboardingConfig(new ConfigReader({}))).toEqual({
      mode: 'manual',
      frequency: { minutes: 1 },
      maxConcurrent: 2,
      backoff: { initialMs: 60_000, maxMs: 3_600_000 },
    });
  });

  it('reads auto mode, frequency, maxConcurrent and backoff', () => {
    expect(
      read({
        mode: 'auto',
        frequency: '30s',
        maxConcurrent: 4,
        backoff: { initial: { seconds: 10 }, max: '5m' },
      }),
    ).toEqual({
      mode: 'auto',
      frequency: { seconds: 30 },
      maxConcurrent: 4,
      backoff: { initialMs: 10_000, maxMs: 300_000 },
    });
  });

  it('stops the plugin at start on a malformed value, naming the key', () => {
    expect(() => read({ mode: 'automatic' })).toThrow(
      "mesh.onboarding.mode must be one of manual, auto; got 'automatic'",
    );
    expect(() => read({ maxConcurrent: 0 })).toThrow(
      /mesh\.onboarding\.maxConcurrent must be a whole number of at least 1/,
    );
    expect(() => read({ frequency: '0s' })).toThrow(
      'mesh.onboarding.frequency must be a positive duration',
    );
    expect(() => read({ backoff: { initial: '10m', max: '1m' } })).toThrow(
      /backoff\.max must not be shorter/,
    );
  });
});
