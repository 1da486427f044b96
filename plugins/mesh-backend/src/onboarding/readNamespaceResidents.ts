import type { AuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { type KubePod, kubeResources } from '@meshstage/plugin-mesh-node';
import type { ClusterClients } from '../cluster';
import { TOPOLOGY_ENTITY_FILTER } from '../topology/entities';
import {
  type NamespaceResidents,
  namespaceResidents,
} from './namespaceResidents';
import { onboardingEntity } from './onboardingEntity';

/** The catalog fields {@link onboardingEntity} reads. */
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
];

/** Finds the {@link NamespaceResidents} of a namespace of a configured cluster. */
export type ReadNamespaceResidents = (
  cluster: string,
  namespace: string,
) => Promise<NamespaceResidents>;

/**
 * Reads every catalog entity tied to workloads, with the plugin's own credentials (who lives in
 * a namespace must not depend on what the caller may see), and the namespace's pods, and finds
 * its residents. An unknown cluster is a 400; an unreachable one fails the request.
 */
export function createReadNamespaceResidents(deps: {
  catalog: CatalogService;
  auth: AuthService;
  clusters: ClusterClients;
}): ReadNamespaceResidents {
  return async (cluster, namespace) => {
    const client = deps.clusters.get(cluster);
    if (!client) {
      throw new InputError(
        `Invalid body field 'cluster': unknown cluster '${cluster}'`,
      );
    }
    const [{ items }, pods] = await Promise.all([
      deps.catalog.getEntities(
        { filter: TOPOLOGY_ENTITY_FILTER as any, fields: FIELDS },
        { credentials: await deps.auth.getOwnServiceCredentials() },
      ),
      client.list<KubePod>(kubeResources.pods, { namespace }),
    ]);
    return namespaceResidents({
      cluster,
      namespace,
      entities: items.map(onboardingEntity),
      pods,
    });
  };
}
