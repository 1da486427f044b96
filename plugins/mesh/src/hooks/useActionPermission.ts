import { usePermission } from '@backstage/plugin-permission-react';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { MeshScopedPermission } from '@meshstage/plugin-mesh-common';

/** An answer of `usePermission`. */
export interface PermissionAnswer {
  loading: boolean;
  allowed: boolean;
  error?: Error;
}

/** Whether the user may run an action, and if not, why (for a disabled control's description). */
export interface ActionPermissionState {
  loading: boolean;
  allowed: boolean;
  /** Set when not allowed (also while the answer is loading): a sentence for people. */
  reason?: string;
}

/**
 * An answer of `usePermission` as the UI shows it: allowed, or not with a sentence naming the
 * permission (`what` completes "You do not have permission to ..."). Pure.
 */
export function describePermission(
  answer: PermissionAnswer,
  permission: { name: string },
  what: string,
): ActionPermissionState {
  if (answer.loading) {
    return {
      loading: true,
      allowed: false,
      reason: 'Checking your permission…',
    };
  }
  if (answer.allowed) return { loading: false, allowed: true };
  return {
    loading: false,
    allowed: false,
    reason: answer.error
      ? `Could not check your permission to ${what}: ${answer.error.message}`
      : `You do not have permission to ${what} (${permission.name}).`,
  };
}

/**
 * The user's permission for one action, with the reason when denied. The UI only disables; the
 * backend enforces.
 */
export function useActionPermission(
  permission: BasicPermission,
  what: string,
): ActionPermissionState {
  return describePermission(usePermission({ permission }), permission, what);
}

/**
 * The answers for an entity-scoped action as one: allowed when either the platform permission or
 * the entity permission allows it, loading while neither allows it and one is still loading. Pure.
 */
export function combineScopedAnswers(
  platform: PermissionAnswer,
  entity: PermissionAnswer,
): PermissionAnswer {
  if (platform.allowed || entity.allowed) {
    return { loading: false, allowed: true };
  }
  if (platform.loading || entity.loading) {
    return { loading: true, allowed: false };
  }
  const error = platform.error ?? entity.error;
  return { loading: false, allowed: false, ...(error && { error }) };
}

/**
 * The user's permission for an entity-scoped action on one entity (`mesh.entity.*` on it, or the
 * platform-wide permission), with the reason when denied. The UI only disables; the backend
 * enforces.
 */
export function useScopedPermission(
  permission: MeshScopedPermission,
  entityRef: string,
  what: string,
): ActionPermissionState {
  const platform = usePermission({ permission: permission.platform });
  const entity = usePermission({
    permission: permission.entity,
    resourceRef: entityRef,
  });
  return describePermission(
    combineScopedAnswers(platform, entity),
    {
      name: `${permission.platform.name}, or ${permission.entity.name} on ${entityRef}`,
    },
    what,
  );
}
