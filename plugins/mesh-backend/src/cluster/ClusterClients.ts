import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createKubeConfig } from './createKubeConfig';
import { KubeClusterClient } from './KubeClusterClient';
import { MisconfiguredClusterClient } from './MisconfiguredClusterClient';
import { readClusterConfig } from './readClusterConfig';
import { readClusterTimeout } from './readClusterTimeout';
import type { ClusterClient } from './types';
import type { ClusterWriter } from './ClusterWriter';
import { KubeClusterWriter } from './ClusterWriterKube';
import { misconfiguredClusterWriter } from './ClusterWriterMisconfigured';
import { createKubeRequest, readRetryPolicy } from './kubeRequest';
import { readClusterRetry } from './readClusterRetry';
import { createReflectorTransport } from './watch/createReflectorTransport';
import { readWatchCacheConfig } from './watch/readWatchCacheConfig';
import {
  WatchedClusterClient,
  type WatchCacheStats,
} from './watch/WatchedClusterClient';

/**
 * Every cluster MeshStage knows, in configuration order. This is the one place that turns
 * configuration into cluster access: switching to the Kubernetes backend's proxy or a cluster
 * supplier service later means changing this module only.
 */
export class ClusterClients {
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): ClusterClients {
    const { logger } = options;
    const timeoutMs = readClusterTimeout(config);
    const retry = readClusterRetry(config);
    const watchCache = readWatchCacheConfig(config);
    const { clusters, skippedLocators } = readClusterConfig(config);
    for (const type of skippedLocators) {
      logger.warn(
        `Ignoring kubernetes.clusterLocatorMethods entry of type '${type}': MeshStage reads only type 'config' for now`,
      );
    }
    const writers = new Map<string, ClusterWriter>();
    const live = new Map<string, ClusterClient>();
    const clients = clusters.map((cluster): ClusterClient => {
      try {
        const kc = createKubeConfig(cluster);
        // Reads and writes share one KubeConfig: the same credentials and TLS settings.
        writers.set(
          cluster.name,
          new KubeClusterWriter(cluster, kc, timeoutMs, retry),
        );
        const direct = new KubeClusterClient(cluster, kc, timeoutMs, retry);
        live.set(cluster.name, direct);
        if (!watchCache) return direct;
        const transport = createReflectorTransport(
          cluster,
          kc,
          createKubeRequest(
            cluster,
            kc,
            timeoutMs,
            readRetryPolicy(retry, timeoutMs),
          ),
          timeoutMs,
        );
        return new WatchedClusterClient(direct, transport, watchCache, logger);
      } catch (error) {
        const reason = `cluster '${cluster.name}' cannot be used: ${
          (error as Error).message
        }`;
        logger.warn(reason);
        writers.set(
          cluster.name,
          misconfiguredClusterWriter(cluster.name, reason),
        );
        return new MisconfiguredClusterClient(cluster, reason);
      }
    });
    return new ClusterClients(clients, timeoutMs, writers, live);
  }

  constructor(
    private readonly clients: ClusterClient[],
    /** `mesh.clusterTimeout` in milliseconds. */
    readonly timeoutMs: number,
    private readonly writers: ReadonlyMap<string, ClusterWriter> = new Map(),
    /** Direct readers, by name, where {@link ClusterClients.list} hands out views. */
    private readonly liveClients: ReadonlyMap<
      string,
      ClusterClient
    > = new Map(),
  ) {}

  /**
   * The cluster named, read directly rather than through its watch-kept view: for lifecycle
   * planning, drift checks and scans, which must see the cluster as it is this instant (and
   * the managedFields the view leaves out).
   */
  live(name: string): ClusterClient | undefined {
    return this.liveClients.get(name) ?? this.get(name);
  }

  /** What each cluster's view holds; absent for clusters read directly. */
  viewStats(name: string): WatchCacheStats | undefined {
    const client = this.get(name);
    return client instanceof WatchedClusterClient ? client.stats() : undefined;
  }

  /** Stops every cluster's watches (backend shutdown). */
  stop(): void {
    for (const client of this.clients) {
      if (client instanceof WatchedClusterClient) client.stop();
    }
  }

  list(): ClusterClient[] {
    return [...this.clients];
  }

  get(name: string): ClusterClient | undefined {
    return this.clients.find(c => c.name === name);
  }

  /**
   * Write access to the cluster named, for lifecycle operations and benchmark Jobs; `undefined`
   * for an unknown name. Separate from {@link ClusterClients.get} so read paths never hold it.
   */
  writer(name: string): ClusterWriter | undefined {
    return this.writers.get(name);
  }

  names(): string[] {
    return this.clients.map(c => c.name);
  }
}
