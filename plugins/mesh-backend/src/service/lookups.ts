import { InputError } from '@backstage/errors';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClient, ClusterClients } from '../cluster';

/**
 * The cluster a request names; an unknown name is the caller's mistake (400 naming the field and
 * listing the configured clusters). `live` reads it directly instead of through its watch-kept
 * view (for plans and scans, which must see the cluster as it is now).
 */
export function requireCluster(
  clusters: ClusterClients,
  name: string,
  field: string,
  options: { live?: boolean } = {},
): ClusterClient {
  const cluster = options.live ? clusters.live(name) : clusters.get(name);
  if (!cluster) {
    const known = clusters.names().join(', ') || '(none)';
    throw new InputError(
      `Unknown cluster '${name}' in ${field}; known clusters: ${known}`,
    );
  }
  return cluster;
}

/** The adapter a request names; an unknown id is a 400 listing the installed adapters. */
export function requireAdapter(
  adapters: AdapterRegistry,
  id: string,
  field: string,
): MeshAdapter {
  const adapter = adapters.get(id);
  if (!adapter) {
    const known = adapters.ids().join(', ') || '(none)';
    throw new InputError(
      `Unknown mesh '${id}' in ${field}; known meshes: ${known}`,
    );
  }
  return adapter;
}
