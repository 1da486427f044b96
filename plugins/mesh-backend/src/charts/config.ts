import path from 'node:path';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { type Config, ConfigReader } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';
import { normalize } from './ChartIndexCache';
import type { RepositoryAccess } from './oci';

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
  /**
   * Credentials and transport of OCI repositories, by normalized URL: the object-form
   * `repositories` entries' and the mirror's (which covers every URL under it).
   */
  access: Record<string, RepositoryAccess>;
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
  /** Versions offered from OCI sources besides the tags the registry lists, per mesh. */
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
  const access: ChartsConfig['access'] = {};
  const repos = config.getOptionalConfig(`${key}.repositories`);
  for (const mesh of repos?.keys() ?? []) {
    const value = repos!.get(mesh);
    if (typeof value === 'string') repositories[mesh] = value;
    else if (isEntry(value)) {
      repositories[mesh] = readEntry(repos!.getConfig(mesh), access);
    } else {
      const perSource = repos!.getConfig(mesh);
      repositories[mesh] = Object.fromEntries(
        perSource
          .keys()
          .map(id => [
            id,
            typeof perSource.get(id) === 'string'
              ? perSource.getString(id)
              : readEntry(perSource.getConfig(id), access),
          ]),
      );
    }
  }
  let mirror: string | undefined;
  if (config.has(`${key}.mirror`)) {
    mirror =
      typeof config.get(`${key}.mirror`) === 'string'
        ? config.getString(`${key}.mirror`)
        : readEntry(config.getConfig(`${key}.mirror`), access);
    mirror = mirror.replace(/\/+$/, '');
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
    mirror,
    access,
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

/** An object-form repository entry (`{ url, username, password, token, plainHttp }`). */
function isEntry(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { url?: unknown }).url === 'string'
  );
}

/**
 * Reads an object-form repository entry: returns its URL and records its credentials and
 * transport under the normalized URL. Credentials are for `oci://` repositories only; a user
 * name needs a password, and a token goes without a user name.
 */
function readEntry(entry: Config, access: ChartsConfig['access']): string {
  const url = entry.getString('url');
  const options: RepositoryAccess = {
    username: entry.getOptionalString('username'),
    password: entry.getOptionalString('password'),
    token: entry.getOptionalString('token'),
    plainHttp: entry.getOptionalBoolean('plainHttp'),
  };
  const where = `mesh.charts repository ${url}`;
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as RepositoryAccess;
  if (Object.keys(defined).length === 0) return url;
  if (!url.startsWith('oci://')) {
    throw new Error(
      `${where}: username, password, token and plainHttp are for oci:// repositories`,
    );
  }
  if (options.username !== undefined && options.password === undefined) {
    throw new Error(`${where}: username needs password`);
  }
  if (options.password !== undefined && options.username === undefined) {
    throw new Error(`${where}: password needs username`);
  }
  if (options.token !== undefined && options.username !== undefined) {
    throw new Error(`${where}: give either token or username and password`);
  }
  access[normalize(url)] = defined;
  return url;
}
