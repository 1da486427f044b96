import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { MeshScopedPermission } from '@meshstage/plugin-mesh-common';
import type express from 'express';

/**
 * The caller's access to an entity-scoped action, between authentication and the moment the
 * request's entities are known.
 */
export interface ScopedAccess {
  credentials: BackstageCredentials;
  /** Whether the platform permission allowed the action on anything. */
  platform: boolean;
  /**
   * Throws a 403 unless the platform permission allowed the action, or the entity permission
   * allows it on every entity given (absent ones are ignored; none at all needs the platform
   * permission). Call it before changing anything.
   */
  forEntities(entityRefs: Iterable<string | undefined>): Promise<void>;
}

/**
 * Checks a {@link MeshScopedPermission} for the caller of a request, in two steps. Given
 * `credentials`, those of a caller the route has authenticated already, the request is not
 * authenticated again.
 */
export type AuthorizeScoped = (
  req: express.Request,
  permission: MeshScopedPermission,
  credentials?: BackstageCredentials,
) => Promise<ScopedAccess>;

/**
 * An {@link AuthorizeScoped} over the core services. The first step authenticates (401) and asks
 * the policy about the platform permission and, without a resource, about the entity one: when
 * the platform permission is allowed the request goes ahead; when the entity permission is
 * definitively denied too it is a 403 at once, before the request's input is read. Otherwise the
 * route reads its input, finds the entities it concerns and calls `forEntities`, which asks about
 * each entity (the permission backend resolves a conditional decision, such as the catalog's
 * `isEntityOwner`, against the entity).
 */
export function createAuthorizeScoped(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): AuthorizeScoped {
  return async (req, permission, authenticated) => {
    const credentials =
      authenticated ??
      (await httpAuth.credentials(req, { allow: ['user', 'service'] }));
    const [[platform], [entity]] = await Promise.all([
      permissions.authorize([{ permission: permission.platform }], {
        credentials,
      }),
      permissions.authorizeConditional([{ permission: permission.entity }], {
        credentials,
      }),
    ]);
    const denied = (detail?: string) =>
      new NotAllowedError(
        `Not allowed (permission ${permission.platform.name}, or ${
          permission.entity.name
        } on ${detail ?? 'the entities the request concerns'})`,
      );
    if (platform.result === AuthorizeResult.ALLOW) {
      return { credentials, platform: true, forEntities: async () => {} };
    }
    if (entity.result === AuthorizeResult.DENY) throw denied();
    return {
      credentials,
      platform: false,
      async forEntities(entityRefs) {
        const refs = [
          ...new Set([...entityRefs].filter((r): r is string => !!r)),
        ].sort();
        if (refs.length === 0) {
          throw new NotAllowedError(
            `Not allowed (permission ${permission.platform.name}: the request concerns no catalog entity, so ${permission.entity.name} cannot allow it)`,
          );
        }
        if (entity.result === AuthorizeResult.ALLOW) return;
        const decisions = await permissions.authorize(
          refs.map(resourceRef => ({
            permission: permission.entity,
            resourceRef,
          })),
          { credentials },
        );
        const refused = refs.filter(
          (_, i) => decisions[i].result !== AuthorizeResult.ALLOW,
        );
        if (refused.length > 0) throw denied(refused.join(', '));
      },
    };
  };
}
