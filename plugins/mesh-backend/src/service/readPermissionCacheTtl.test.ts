import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_READ_PERMISSION_TTL_MS,
  readPermissionCacheTtl,
} from './readPermissionCacheTtl';

const read = (readPermissionCache?: unknown) =>
  readPermissionCacheTtl(
    new ConfigReader(
      readPermissionCache === undefined
        ? {}
        : { mesh: { readPermissionCache } },
    ),
  );

describe('mesh.readPermissionCache', () => {
  it('keeps read decisions 10 s by default, for the configured duration, or not at all', () => {
    expect(read()).toBe(DEFAULT_READ_PERMISSION_TTL_MS);
    expect(DEFAULT_READ_PERMISSION_TTL_MS).toBe(10_000);
    expect(read({ ttl: '2s' })).toBe(2_000);
    expect(read({ ttl: { milliseconds: 500 } })).toBe(500);
    expect(read({ enabled: false, ttl: '2s' })).toBe(0);
  });

  it('refuses a duration that is not positive, naming the key', () => {
    expect(() => read({ ttl: { seconds: 0 } })).toThrow(
      'mesh.readPermissionCache.ttl must be a positive duration',
    );
  });
});
