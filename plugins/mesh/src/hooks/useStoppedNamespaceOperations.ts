import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import type { OnboardingOperationSummary } from '@meshstage/plugin-mesh-common';
import { meshApiRef } from '../api';
import {
  type NamespaceOperation,
  namespaceOperationOf,
  namespaceOperationsOf,
  stoppedNamespaceOperations,
} from '../lib/runAgain';

/** How many of a cluster and mesh's newest operations are searched for a namespace's last one. */
export const NAMESPACE_OPERATIONS_SEARCHED = 50;

/** What {@link useStoppedNamespaceOperations} looks at. */
export interface StoppedNamespaceOperationsOptions {
  /** The entity's expected mesh; nothing is read without one. */
  mesh?: string;
  /** The entity's namespaces, per cluster. */
  targets: ReadonlyArray<{ cluster: string; namespace: string }>;
  /** The automatic onboarding's latest operation for the entity (its status), if any. */
  automatic?: OnboardingOperationSummary;
  /** Changed to read the operations again (e.g. after one ended). */
  reload?: unknown;
}

/**
 * The onboard or offboard operations of an entity's namespaces that stopped failed, interrupted
 * or revert-failed as the newest of their namespace, for the Mesh tab to offer Resume and
 * Revert after a reload. The entity status names only the operations the automatic onboarding
 * started (`onboarding.operation`), so the tab also reads each cluster's newest operations for
 * the mesh (`GET /operations?cluster=&mesh=`, {@link NAMESPACE_OPERATIONS_SEARCHED} of them) and
 * keeps its namespaces'. Read once per set of clusters and `reload`, not on every status poll; a
 * refused or failed read leaves that cluster out (the list is a convenience, not the status).
 */
export function useStoppedNamespaceOperations(
  options: StoppedNamespaceOperationsOptions,
): NamespaceOperation[] {
  const { mesh, targets, automatic, reload } = options;
  const meshApi = useApi(meshApiRef);
  const clusters = [...new Set(targets.map(t => t.cluster))].sort();
  const { value: listed = [] } = useAsync(async () => {
    if (!mesh || clusters.length === 0) return [];
    const lists = await Promise.all(
      clusters.map(cluster =>
        meshApi
          .listOperations({
            cluster,
            mesh,
            limit: NAMESPACE_OPERATIONS_SEARCHED,
          })
          .catch(() => []),
      ),
    );
    return namespaceOperationsOf(lists.flat());
  }, [meshApi, mesh, clusters.join('\n'), reload]);
  return stoppedNamespaceOperations(
    [...listed, ...(automatic ? [namespaceOperationOf(automatic)] : [])],
    targets,
  );
}
