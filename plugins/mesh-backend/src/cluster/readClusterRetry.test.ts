import { ConfigReader } from '@backstage/config';
import { readClusterRetry } from './readClusterRetry';
import { DEFAULT_CLUSTER_RETRY } from './retryPolicy';

describe('readClusterRetry', () => {
  it('defaults to four attempts within 30 s, backoff from 250 ms to 4 s, Retry-After up to 10 s', () => {
    expect(readClusterRetry(new ConfigReader({}))).toEqual(
      DEFAULT_CLUSTER_RETRY,
    );
    expect(DEFAULT_CLUSTER_RETRY).toEqual({
      attempts: 4,
      initialDelayMs: 250,
      maxDelayMs: 4000,
      maxRetryAfterMs: 10_000,
      budgetMs: 30_000,
    });
  });

  it('reads each key, durations in any Backstage form', () => {
    expect(
      readClusterRetry(
        new ConfigReader({
          mesh: {
            clusterRetry: {
              attempts: 6,
              initialDelay: '100ms',
              maxDelay: 'PT2S',
              maxRetryAfter: { seconds: 3 },
              budget: '1m',
            },
          },
        }),
      ),
    ).toEqual({
      attempts: 6,
      initialDelayMs: 100,
      maxDelayMs: 2000,
      maxRetryAfterMs: 3000,
      budgetMs: 60_000,
    });
    expect(
      readClusterRetry(
        new ConfigReader({ mesh: { clusterRetry: { attempts: 1 } } }),
      ).attempts,
    ).toBe(1);
  });

  it.each([
    [
      { attempts: 0 },
      'mesh.clusterRetry.attempts must be a whole number from 1',
    ],
    [
      { attempts: 2.5 },
      'mesh.clusterRetry.attempts must be a whole number from 1',
    ],
    [{ attempts: 50 }, 'to 20'],
    [
      { budget: { seconds: 0 } },
      'mesh.clusterRetry.budget must be a positive duration',
    ],
    [
      { initialDelay: '2s', maxDelay: '1s' },
      'mesh.clusterRetry.maxDelay must not be shorter than initialDelay',
    ],
  ])('refuses %j at startup, naming the key', (clusterRetry, message) => {
    expect(() =>
      readClusterRetry(new ConfigReader({ mesh: { clusterRetry } })),
    ).toThrow(message);
  });
});
