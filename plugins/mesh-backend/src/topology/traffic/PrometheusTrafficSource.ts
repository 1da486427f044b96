import type {
  MeshAdapter,
  MeshTrafficMetrics,
  MeshTrafficQueryOptions,
} from '@meshstage/plugin-mesh-node';
import type { PrometheusTrafficConfig } from './config';
import { compareSamples, joinTrafficSeries } from './joinTrafficSeries';
import { PrometheusClient } from './PrometheusClient';
import { anyOfMatcher, isPrometheusDuration } from './promql';
import type {
  TrafficEdgeSample,
  TrafficReadRequest,
  TrafficSource,
} from './types';

export interface PrometheusTrafficSourceOptions {
  config: PrometheusTrafficConfig;
  /** The adapters whose `trafficMetrics` are queried (the others are skipped). */
  adapters: readonly MeshAdapter[];
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * Per-edge traffic from one Prometheus server: for every adapter with `trafficMetrics` (all
 * adapters in parallel), the request-rate query, then, when it found edges, the error-rate, p50
 * and p99 queries in parallel at the rate's evaluation time, joined by edge.
 * Any failed query rejects the whole read (the other queries are cancelled), with a message
 * naming the URL and, for a query Prometheus refused, the mesh and the query.
 *
 * Clusters: with `clusterLabel`, every query is narrowed to the asked-for clusters by that label
 * and split by it; without it, the Prometheus is taken to hold the metrics of the clusters it
 * serves (`clusters`, or every cluster asked for), and each sample is reported for each of them.
 */
export class PrometheusTrafficSource implements TrafficSource {
  readonly kind = 'prometheus' as const;
  readonly defaultWindow: string;
  readonly #config: PrometheusTrafficConfig;
  readonly #client: PrometheusClient;
  readonly #meshes: Array<{ id: string; metrics: MeshTrafficMetrics }>;

  constructor(options: PrometheusTrafficSourceOptions) {
    const { config } = options;
    this.#config = config;
    this.defaultWindow = config.window;
    this.#client = new PrometheusClient({
      url: config.url,
      timeoutMs: config.timeoutMs,
      bearerToken: config.bearerToken,
      username: config.username,
      password: config.password,
      headers: config.headers,
      fetch: options.fetch,
    });
    this.#meshes = options.adapters.flatMap(adapter =>
      adapter.trafficMetrics
        ? [{ id: adapter.id, metrics: adapter.trafficMetrics }]
        : [],
    );
  }

  /** The meshes whose metrics are read. */
  get meshes(): string[] {
    return this.#meshes.map(m => m.id);
  }

  async read(request: TrafficReadRequest): Promise<TrafficEdgeSample[]> {
    const { window } = request;
    if (!isPrometheusDuration(window)) {
      throw new Error(
        `Traffic window '${window}' is not a Prometheus duration such as '5m' or '1h'`,
      );
    }
    const served = this.#config.clusters;
    const clusters = [...new Set(request.clusters)].filter(
      c => !served || served.includes(c),
    );
    if (clusters.length === 0 || this.#meshes.length === 0) return [];

    const { clusterLabel } = this.#config;
    const options: MeshTrafficQueryOptions | undefined = clusterLabel
      ? { matchers: anyOfMatcher(clusterLabel, clusters), by: [clusterLabel] }
      : undefined;
    const clusterOf = clusterLabel
      ? (metric: Record<string, string>) => {
          const value = metric[clusterLabel];
          return value !== undefined && clusters.includes(value) ? [value] : [];
        }
      : () => clusters;

    // The first failure cancels the other queries; the caller's signal cancels them all.
    const cancel = new AbortController();
    const signal = request.signal
      ? AbortSignal.any([request.signal, cancel.signal])
      : cancel.signal;
    const query = (mesh: string, what: string, promql: string, time?: number) =>
      this.#client
        .query(promql, { signal, description: `${mesh} ${what}`, time })
        .catch(error => {
          cancel.abort();
          throw error;
        });

    const settled = await Promise.allSettled(
      this.#meshes.map(async ({ id, metrics }) => {
        // The rates first, at the server's now; the others at that same instant, so that every
        // figure of an edge covers the same window (rate() extrapolates by the samples in it).
        const requestRate = await query(
          id,
          'request rate',
          metrics.requestRate(window, options),
        );
        const time = requestRate.find(s =>
          Number.isFinite(s.timestamp),
        )?.timestamp;
        if (time === undefined) return [];
        const [errorRate, p50, p99] = await Promise.all([
          query(id, 'error rate', metrics.errorRate(window, options), time),
          query(
            id,
            'p50 latency',
            metrics.latencyQuantile(0.5, window, options),
            time,
          ),
          query(
            id,
            'p99 latency',
            metrics.latencyQuantile(0.99, window, options),
            time,
          ),
        ]);
        return joinTrafficSeries(
          {
            mesh: id,
            labels: metrics.labels,
            requestRate,
            errorRate,
            p50,
            p99,
          },
          clusterOf,
        );
      }),
    );
    if (request.signal?.aborted) throw request.signal.reason;
    // Report the first real failure, not a query cancelled because of it.
    const failures = settled.flatMap(s =>
      s.status === 'rejected' ? [s.reason as unknown] : [],
    );
    if (failures.length > 0) {
      const cause =
        failures.find(f => (f as { name?: unknown })?.name !== 'AbortError') ??
        failures[0];
      throw cause;
    }
    return settled
      .flatMap(s => (s.status === 'fulfilled' ? s.value : []))
      .sort(compareSamples);
  }
}
