import { type Config, readDurationFromConfig } from '@backstage/config';

/** Used when `mesh.clusterTimeout` is not set: long enough for a loaded API server, short enough for a page. */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 5000;

type Duration = ReturnType<typeof readDurationFromConfig>;

const MS_PER_UNIT: Record<keyof Duration, number> = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
  months: 2_592_000_000,
  years: 31_536_000_000,
};

/**
 * `mesh.clusterTimeout` in milliseconds: the longest a single call to a cluster may take before
 * that cluster is reported as failed. Accepts what Backstage durations accept (`5s`, `PT5S`,
 * `{ seconds: 5 }`).
 */
export function readClusterTimeout(config: Config): number {
  if (!config.has('mesh.clusterTimeout')) {
    return DEFAULT_CLUSTER_TIMEOUT_MS;
  }
  const duration = readDurationFromConfig(config, {
    key: 'mesh.clusterTimeout',
  });
  const ms = Object.entries(duration).reduce(
    (sum, [unit, value]) =>
      sum + (value ?? 0) * (MS_PER_UNIT[unit as keyof Duration] ?? 0),
    0,
  );
  if (!(ms > 0)) {
    throw new Error(`mesh.clusterTimeout must be a positive duration`);
  }
  return ms;
}
