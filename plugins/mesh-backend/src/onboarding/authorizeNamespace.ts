import { NotAllowedError } from '@backstage/errors';
import type { MeshScopedPermission } from '@meshstage/plugin-mesh-common';
import type { ScopedAccess } from '../service/authorizeScoped';
import type { NamespaceResidents } from './namespaceResidents';

/**
 * Authorizes an onboard or offboard of a namespace for a caller without the platform permission:
 * the entity permission must allow it on every entity living there, and every live pod there must
 * belong to one of them (an onboard restarts them all, and nobody in the catalog speaks for a pod
 * no entity claims). The residents are read only when needed.
 */
export async function authorizeNamespace(
  access: ScopedAccess,
  permission: MeshScopedPermission,
  target: { cluster: string; namespace: string },
  residents: () => Promise<NamespaceResidents>,
): Promise<void> {
  if (access.platform) return;
  const { entityRefs, unclaimedPods } = await residents();
  if (unclaimedPods.length > 0) {
    const shown = unclaimedPods.slice(0, 5).join(', ');
    const more =
      unclaimedPods.length > 5 ? ` and ${unclaimedPods.length - 5} more` : '';
    throw new NotAllowedError(
      `Not allowed (permission ${permission.platform.name}: pods ${shown}${more} in namespace ${target.namespace} on cluster ${target.cluster} belong to no catalog entity, so ${permission.entity.name} cannot allow it)`,
    );
  }
  await access.forEntities(entityRefs);
}
