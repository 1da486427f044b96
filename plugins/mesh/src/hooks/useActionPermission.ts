import { usePermission } from '@backstage/plugin-permission-react';
import type { BasicPermission } from '@backstage/plugin-permission-common';

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
  answer: { loading: boolean; allowed: boolean; error?: Error },
  permission: BasicPermission,
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
