import path from 'node:path';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { type Config, ConfigReader } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';

/** `mesh.charts.*` with defaults applied. */
export interface ChartsConfig {
  /** `helm`: the vendors' charts rendered by `helm template`; `builtin`: the adapters' renderers. */
  source: 'helm' | 'builtin';
  /**
   * Repository overrides: per mesh (every source of it) or per mesh and source id. HTTP Helm
   * repositories or `oci://` references.
   */
  repositories: Record<string, string | Record<string, string>>;
  /** A base URL serving every source under `<mirror>/<mesh>/<source id>`. */
  mirror?: string;
  /** A directory of chart archives `<name>-<version>.tgz`, used before any network. */
  localDir?: string;
  /** The helm binary: a path, or a name looked up on PATH. */
  helmBinary: string;
  /** Where indexes and downloaded archives are cached. Absolute. */
  cacheDir: string;
  /** When indexes are read again. */
  indexRefresh: SchedulerServiceTaskScheduleDefinition;
  /** Longest a `helm template` run may take. */
  helmTimeoutMs: number;
  /** Longest an index or archive download may take. */
  fetchTimeoutMs: number;
  /**
   * With `source: helm`, also offer the adapter's built-in versions the chart repositories do not
   * list (rendered by its own renderer).
   */
  builtinFallback: boolean;
  /** Versions to offer from OCI sources (which publish no index), per mesh. */
  ociVersions: Record<string, string[]>;
  /** `--kube-version` for `helm template` (charts that check the cluster's version). */
  kubeVersion?: string;
}

/** Every 6 hours, the first read 10 seconds after startup (the disk cache serves until then). */
export const DEFAULT_INDEX_REFRESH: SchedulerServiceTaskScheduleDefinition = {
  frequency: { hours: 6 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 10 },
  scope: 'local',
};

/** Reads `mesh.charts`; every key is optional. `cwd` resolves relative directories. */
export function readChartsConfig(
  config: Config,
  cwd: string = process.cwd(),
): ChartsConfig {
  const key = 'mesh.charts';
  const source = config.getOptionalString(`${key}.source`) ?? 'helm';
  if (source !== 'helm' && source !== 'builtin') {
    throw new Error(
      `${key}.source must be 'helm' or 'builtin', got '${source}'`,
    );
  }
  const repositories: ChartsConfig['repositories'] = {};
  const repos = config.getOptionalConfig(`${key}.repositories`);
  for (const mesh of repos?.keys() ?? []) {
    const value = repos!.get(mesh);
    if (typeof value === 'string') repositories[mesh] = value;
    else {
      const perSource = repos!.getConfig(mesh);
      repositories[mesh] = Object.fromEntries(
        perSource.keys().map(id => [id, perSource.getString(id)]),
      );
    }
  }
  const ociVersions: Record<string, string[]> = {};
  const oci = config.getOptionalConfig(`${key}.ociVersions`);
  for (const mesh of oci?.keys() ?? []) {
    ociVersions[mesh] = oci!.getStringArray(mesh);
  }
  const indexRefresh = config.has(`${key}.indexRefresh`)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        new ConfigReader(
          {
            timeout: { minutes: 5 },
            initialDelay: { seconds: 10 },
            scope: 'local',
            ...config.getConfig(`${key}.indexRefresh`).get<object>(),
          },
          `${key}.indexRefresh`,
        ),
      )
    : DEFAULT_INDEX_REFRESH;
  const localDir = config.getOptionalString(`${key}.localDir`);
  return {
    source,
    repositories,
    mirror: config.getOptionalString(`${key}.mirror`)?.replace(/\/+$/, ''),
    localDir: localDir ? path.resolve(cwd, localDir) : undefined,
    helmBinary: config.getOptionalString(`${key}.helmBinary`) ?? 'helm',
    cacheDir: path.resolve(
      cwd,
      config.getOptionalString(`${key}.cacheDir`) ??
        path.join('.meshstage', 'charts'),
    ),
    indexRefresh,
    helmTimeoutMs: readPositiveDurationMs(config, `${key}.helmTimeout`, 60_000),
    fetchTimeoutMs: readPositiveDurationMs(
      config,
      `${key}.fetchTimeout`,
      60_000,
    ),
    builtinFallback:
      config.getOptionalBoolean(`${key}.builtinFallback`) ?? true,
    ociVersions,
    kubeVersion: config.getOptionalString(`${key}.kubeVersion`),
  };
}
