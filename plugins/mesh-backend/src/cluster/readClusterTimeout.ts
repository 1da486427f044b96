import type { Config } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';

/** Used when `mesh.clusterTimeout` is not set: long enough for a loaded API server, short enough for a page. */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 5000;

/**
 * `mesh.clusterTimeout` in milliseconds: the longest a single call to a cluster may take before
 * that cluster is reported as failed. Accepts what Backstage durations accept (`5s`, `PT5S`,
 * `{ seconds: 5 }`).
 */
export function readClusterTimeout(config: Config): number {
  return readPositiveDurationMs(
    config,
    'mesh.clusterTimeout',
    DEFAULT_CLUSTER_TIMEOUT_MS,
  );
}
