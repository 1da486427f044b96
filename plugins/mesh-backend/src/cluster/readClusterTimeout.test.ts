import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_CLUSTER_TIMEOUT_MS,
  readClusterTimeout,
} from './readClusterTimeout';

describe('readClusterTimeout', () => {
  it('defaults to five seconds', () => {
    expect(readClusterTimeout(new ConfigReader({}))).toBe(
      DEFAULT_CLUSTER_TIMEOUT_MS,
    );
    expect(DEFAULT_CLUSTER_TIMEOUT_MS).toBe(5000);
  });

  it.each([
    ['2s', 2000],
    ['PT1.5S', 1500],
    [{ milliseconds: 250 }, 250],
    [{ minutes: 1, seconds: 30 }, 90_000],
  ])('reads %j as %d ms', (value, ms) => {
    expect(
      readClusterTimeout(new ConfigReader({ mesh: { clusterTimeout: value } })),
    ).toBe(ms);
  });

  it('rejects a zero timeout', () => {
    expect(() =>
      readClusterTimeout(
        new ConfigReader({ mesh: { clusterTimeout: { seconds: 0 } } }),
      ),
    ).toThrow(/positive/);
  });
});
