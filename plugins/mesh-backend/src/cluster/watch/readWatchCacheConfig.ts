import type { Config } from '@backstage/config';
import { readPositiveDurationMs } from '../../config/readPositiveDurationMs';
import type { WatchCacheSettings } from './WatchedClusterClient';

/** The defaults: room for a large cluster's pods, and types idle for half an hour let go. */
export const DEFAULT_WATCH_CACHE: WatchCacheSettings = {
  maxObjectsPerResource: 50_000,
  idleTimeoutMs: 30 * 60_000,
  versionTtlMs: 15_000,
};

/**
 * `mesh.watchCache`: `undefined` when it is turned off (`enabled: false`), so every read goes to
 * the cluster as it did before the view existed.
 */
export function readWatchCacheConfig(
  config: Config,
): WatchCacheSettings | undefined {
  const section = config.getOptionalConfig('mesh.watchCache');
  if (section?.getOptionalBoolean('enabled') === false) return undefined;
  const max = section?.getOptionalNumber('maxObjectsPerResource');
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new Error(
      `Invalid config 'mesh.watchCache.maxObjectsPerResource': ${max} is not a positive integer`,
    );
  }
  return {
    ...DEFAULT_WATCH_CACHE,
    ...(max !== undefined ? { maxObjectsPerResource: max } : {}),
    idleTimeoutMs: readPositiveDurationMs(
      config,
      'mesh.watchCache.idleTimeout',
      DEFAULT_WATCH_CACHE.idleTimeoutMs,
    ),
  };
}
