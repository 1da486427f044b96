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
    const { clusters, skippedLocators } = readClusterConfig(config);
    for (const type of skippedLocators) {
      logger.warn(
        `Ignoring kubernetes.clusterLocatorMethods entry of type '${type}': MeshStage reads only type 'config' for now`,
      );
    }
    const writers = new Map<string, ClusterWriter>();
    const clients = clusters.map((cluster): ClusterClient => {
      try {
        const kc = createKubeConfig(cluster);
        // Reads and writes share one KubeConfig: the same credentials and TLS settings.
        writers.set(
          cluster.name,
          new KubeClusterWriter(cluster, kc, timeoutMs),
        );
        return new KubeClusterClient(cluster, kc, timeoutMs);
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
    return new ClusterClients(clients, timeoutMs, writers);
  }

  constructor(
    private readonly clients: ClusterClient[],
    /** `mesh.clusterTimeout` in milliseconds. */
    readonly timeoutMs: number,
    private readonly writers: ReadonlyMap<string, ClusterWriter> = new Map(),
  ) {}

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
