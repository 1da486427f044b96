import type { Config } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';

/** How long a read decision is reused by default. */
export const DEFAULT_READ_PERMISSION_TTL_MS = 10_000;

/**
 * `mesh.readPermissionCache`: how long the routes reuse a caller's decision on a read permission
 * (see `ReadPermissionCache`), in milliseconds; 0 when turned off (`enabled: false`).
 */
export function readPermissionCacheTtl(config: Config): number {
  const section = config.getOptionalConfig('mesh.readPermissionCache');
  if (section?.getOptionalBoolean('enabled') === false) return 0;
  return readPositiveDurationMs(
    config,
    'mesh.readPermissionCache.ttl',
    DEFAULT_READ_PERMISSION_TTL_MS,
  );
}
