import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { createKubeConfig } from './createKubeConfig';
import { KubeClusterClient } from './KubeClusterClient';
import { MisconfiguredClusterClient } from './MisconfiguredClusterClient';
import { readClusterConfig } from './readClusterConfig';
import { readClusterTimeout } from './readClusterTimeout';
import type { ClusterClient } from './types';

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
    const clients = clusters.map((cluster): ClusterClient => {
      try {
        const kc = createKubeConfig(cluster);
        return new KubeClusterClient(cluster, kc, timeoutMs);
      } catch (error) {
        const reason = `cluster '${cluster.name}' cannot be used: ${
          (error as Error).message
        }`;
        logger.warn(reason);
        return new MisconfiguredClusterClient(cluster, reason);
      }
    });
    return new ClusterClients(clients, timeoutMs);
  }

  constructor(
    private readonly clients: ClusterClient[],
    /** `mesh.clusterTimeout` in milliseconds. */
    readonly timeoutMs: number,
  ) {}

  list(): ClusterClient[] {
    return [...this.clients];
  }

  get(name: string): ClusterClient | undefined {
    return this.clients.find(c => c.name === name);
  }

  names(): string[] {
    return this.clients.map(c => c.name);
  }
}
