import type { Config } from '@backstage/config';
import type { ClusterConfig } from './types';

/** Clusters from the Kubernetes plugin's config, and the locator types MeshStage skipped. */
export interface ClusterConfigResult {
  clusters: ClusterConfig[];
  /** `type`s of `clusterLocatorMethods` entries that MeshStage does not read (yet). */
  skippedLocators: string[];
}

/**
 * Reads the clusters of the Kubernetes plugin's `kubernetes.clusterLocatorMethods` entries of
 * `type: config`, the way its `ConfigClusterLocator` does, so that one configuration serves both
 * plugins. Cluster names must be unique, as the Kubernetes plugin requires.
 */
export function readClusterConfig(config: Config): ClusterConfigResult {
  const clusters: ClusterConfig[] = [];
  const skippedLocators: string[] = [];
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const method of methods) {
    const type = method.getString('type');
    if (type !== 'config') {
      skippedLocators.push(type);
      continue;
    }
    for (const c of method.getOptionalConfigArray('clusters') ?? []) {
      const name = c.getString('name');
      if (clusters.some(existing => existing.name === name)) {
        throw new Error(
          `Duplicate cluster name '${name}' in kubernetes.clusterLocatorMethods`,
        );
      }
      // The Kubernetes plugin also accepts the provider inside authMetadata.
      const authMetadata =
        c.getOptional<Record<string, string>>('authMetadata') ?? {};
      const authProvider =
        authMetadata['kubernetes.io/auth-provider'] ??
        c.getOptionalString('authProvider');
      clusters.push({
        name,
        title: c.getOptionalString('title'),
        url: c.getString('url'),
        authProvider,
        serviceAccountToken: c.getOptionalString('serviceAccountToken'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
      });
    }
  }
  return { clusters, skippedLocators };
}
