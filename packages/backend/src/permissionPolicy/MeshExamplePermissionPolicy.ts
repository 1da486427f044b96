import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** What {@link MeshExamplePermissionPolicy} is configured with. */
export interface MeshExamplePolicyOptions {
  /**
   * The group whose members may do everything in the mesh plugin, as a full entity ref
   * (`group:default/platform`).
   */
  platformGroup: string;
  /**
   * Decides every permission that is not the mesh plugin's (`mesh.*`); by default those are
   * allowed, as the development backend's allow-all policy does. Replace it with your portal's
   * own rules.
   */
  otherPermissions?: PermissionPolicy;
}

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** Entity refs (`kind:namespace/name`) compare case-insensitively, as the catalog compares them. */
const refKey = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * An example permission policy for MeshStage's mesh plugin:
 *
 * - members of the platform group may do everything (install, upgrade, roll back, uninstall,
 *   reconcile, onboard and offboard any namespace, scans, every benchmark);
 * - every signed-in user may read (`read` permissions: status, operations, findings, benchmarks);
 * - the owners of a catalog entity may onboard and offboard its namespaces and write and run its
 *   benchmark profiles: the entity-scoped permissions (`mesh.entity.*`) get the catalog's
 *   `isEntityOwner` condition with the user's ownership refs, which the permission backend checks
 *   against the entity through the catalog;
 * - everything else of the mesh plugin is denied (and so are requests without a signed-in user).
 *
 * Other plugins' permissions go to `otherPermissions` (allowed by default).
 */
export class MeshExamplePermissionPolicy implements PermissionPolicy {
  readonly #platformGroup: string;
  readonly #others?: PermissionPolicy;

  constructor(options: MeshExamplePolicyOptions) {
    this.#platformGroup = refKey(options.platformGroup);
    this.#others = options.otherPermissions;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('mesh.')) {
      return this.#others ? this.#others.handle(request, user) : ALLOW;
    }
    if (!user) return DENY;
    const claims = user.info.ownershipEntityRefs;
    if (claims.some(ref => refKey(ref) === this.#platformGroup)) return ALLOW;
    if (permission.attributes.action === 'read') return ALLOW;
    if (
      permission.name.startsWith('mesh.entity.') &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return DENY;
  }
}
