import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import { readPrometheusTrafficConfig } from './config';
import { PrometheusTrafficSource } from './PrometheusTrafficSource';
import type { TrafficSource } from './types';

export type {
  TrafficEdgeSample,
  TrafficReadRequest,
  TrafficSource,
  TrafficWorkload,
} from './types';
export { PrometheusTrafficSource } from './PrometheusTrafficSource';
export {
  readPrometheusTrafficConfig,
  DEFAULT_TRAFFIC_WINDOW,
  PROMETHEUS_CONFIG_KEY,
  type PrometheusTrafficConfig,
} from './config';
export { isPrometheusDuration } from './promql';

/** What {@link createTrafficSource} is built from. */
export interface CreateTrafficSourceOptions {
  /** The root config; `mesh.metrics.prometheus` is read from it. */
  config: Config;
  logger: LoggerService;
  /**
   * The registered adapters (`AdapterRegistry.list()`); those with `trafficMetrics` are queried.
   */
  adapters: readonly MeshAdapter[];
  /** Defaults to the global fetch (tests). */
  fetch?: typeof fetch;
}

/**
 * The topology graph's traffic source: a {@link PrometheusTrafficSource} when
 * `mesh.metrics.prometheus` is configured, else `undefined` (the graph then has configuration
 * edges only, and `traffic.source` is `none`).
 *
 * Call it once at plugin start: it validates the configuration and throws an Error naming the
 * offending key (so a typo stops the backend rather than hiding traffic). It does not contact
 * Prometheus; an unreachable or failing server shows up later as a rejected `read()`, whose
 * message is meant for the graph's traffic notice.
 */
export function createTrafficSource(
  options: CreateTrafficSourceOptions,
): TrafficSource | undefined {
  const config = readPrometheusTrafficConfig(options.config);
  if (!config) return undefined;
  const source = new PrometheusTrafficSource({
    config,
    adapters: options.adapters,
    fetch: options.fetch,
  });
  const meshes = source.meshes;
  if (meshes.length === 0) {
    options.logger.warn(
      `mesh.metrics.prometheus is set but no registered adapter provides traffic metrics: topology graphs will show no traffic`,
    );
  }
  options.logger.info(
    `Topology traffic from Prometheus at ${config.url} (default window ${
      config.window
    }, timeout ${config.timeoutMs} ms, meshes ${meshes.join(', ') || 'none'}${
      config.clusterLabel ? `, clusters by label '${config.clusterLabel}'` : ''
    }${config.clusters ? `, clusters ${config.clusters.join(', ')}` : ''})`,
  );
  if (!config.clusterLabel && config.clusters && config.clusters.length > 1) {
    options.logger.warn(
      `mesh.metrics.prometheus.clusters lists ${config.clusters.length} clusters without clusterLabel: every cluster will show the same traffic; set clusterLabel to the label telling them apart`,
    );
  }
  return source;
}
