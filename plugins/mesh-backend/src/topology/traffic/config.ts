import type { Config } from '@backstage/config';
import { readPositiveDurationMs } from '../../config/readPositiveDurationMs';
import { isLabelName, isPrometheusDuration } from './promql';

export const PROMETHEUS_CONFIG_KEY = 'mesh.metrics.prometheus';

/** `mesh.metrics.prometheus` with defaults applied. */
export interface PrometheusTrafficConfig {
  /** The server's base URL (a path prefix is kept: `<url>/api/v1/query`). */
  url: string;
  /** Longest one query may take, in milliseconds (also sent to Prometheus as `timeout`). */
  timeoutMs: number;
  /** The window used when a request names none. */
  window: string;
  bearerToken?: string;
  username?: string;
  password?: string;
  /** Extra request headers, e.g. a tenant (`X-Scope-OrgID`). */
  headers: Record<string, string>;
  /** The label telling clusters apart in this Prometheus, e.g. `cluster`. */
  clusterLabel?: string;
  /** The clusters this Prometheus serves; absent means every cluster asked for. */
  clusters?: string[];
}

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 5_000;
export const DEFAULT_TRAFFIC_WINDOW = '5m';

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function readTimeoutMs(config: Config, key: string): number {
  const raw = config.getOptional(key);
  if (raw === undefined) return DEFAULT_PROMETHEUS_TIMEOUT_MS;
  if (typeof raw === 'number') {
    if (!(raw > 0) || !Number.isFinite(raw)) {
      throw new Error(
        `${key} must be a positive number of milliseconds or a duration such as '5s', got ${raw}`,
      );
    }
    return raw;
  }
  try {
    return readPositiveDurationMs(config, key, DEFAULT_PROMETHEUS_TIMEOUT_MS);
  } catch (error) {
    throw new Error(
      `${key} must be milliseconds or a duration such as '5s' or { seconds: 5 }: ${
        (error as Error).message
      }`,
    );
  }
}

function readUrl(config: Config, key: string): string {
  const text = config.getString(key);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${key} must be an http(s) URL, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${key} must be an http(s) URL, got '${text}'`);
  }
  if (url.username || url.password) {
    // Never echo the URL here: it holds a credential.
    throw new Error(
      `${key} must not hold credentials; set ${PROMETHEUS_CONFIG_KEY}.username and password (or bearerToken) instead`,
    );
  }
  if (url.search || url.hash) {
    throw new Error(
      `${key} must be the server's base URL without query or fragment, got '${text}'`,
    );
  }
  return text.replace(/\/+$/, '');
}

function readHeaders(config: Config, key: string): Record<string, string> {
  const section = config.getOptionalConfig(key);
  if (!section) return {};
  const headers: Record<string, string> = {};
  for (const name of section.keys()) {
    if (!HEADER_NAME.test(name)) {
      throw new Error(`${key} has an invalid header name '${name}'`);
    }
    // getString names the key when the value is not a string.
    headers[name] = section.getString(name);
  }
  return headers;
}

/**
 * Reads `mesh.metrics.prometheus`; `undefined` when it is absent (no traffic edges). Malformed
 * values stop the backend at startup with an error naming the key.
 */
export function readPrometheusTrafficConfig(
  config: Config,
): PrometheusTrafficConfig | undefined {
  const key = PROMETHEUS_CONFIG_KEY;
  if (!config.has(key)) return undefined;
  const section = config.getConfig(key);
  const url = readUrl(config, `${key}.url`);
  const timeoutMs = readTimeoutMs(config, `${key}.timeout`);

  const window =
    config.getOptionalString(`${key}.window`) ?? DEFAULT_TRAFFIC_WINDOW;
  if (!isPrometheusDuration(window)) {
    throw new Error(
      `${key}.window must be a Prometheus duration such as '5m' or '1h30m', got '${window}'`,
    );
  }

  const bearerToken = section.getOptionalString('bearerToken');
  const username = section.getOptionalString('username');
  const password = section.getOptionalString('password');
  if (
    bearerToken !== undefined &&
    (username !== undefined || password !== undefined)
  ) {
    throw new Error(
      `${key}: set either bearerToken or username/password, not both`,
    );
  }
  if ((username === undefined) !== (password === undefined)) {
    throw new Error(
      `${key}.${
        username === undefined ? 'username' : 'password'
      } is required with ${key}.${
        username === undefined ? 'password' : 'username'
      }`,
    );
  }

  const clusterLabel = section.getOptionalString('clusterLabel');
  if (clusterLabel !== undefined && !isLabelName(clusterLabel)) {
    throw new Error(
      `${key}.clusterLabel must be a Prometheus label name (letters, digits, underscores), got '${clusterLabel}'`,
    );
  }
  const clusters = section.getOptionalStringArray('clusters');
  if (clusters !== undefined) {
    if (clusters.length === 0 || clusters.some(c => c.trim() === '')) {
      throw new Error(
        `${key}.clusters must list cluster names; leave it out to serve every cluster`,
      );
    }
  }

  return {
    url,
    timeoutMs,
    window,
    headers: readHeaders(config, `${key}.headers`),
    ...(bearerToken !== undefined ? { bearerToken } : {}),
    ...(username !== undefined ? { username, password } : {}),
    ...(clusterLabel !== undefined ? { clusterLabel } : {}),
    ...(clusters !== undefined ? { clusters } : {}),
  };
}
