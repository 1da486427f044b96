import { usePermission } from '@backstage/plugin-permission-react';
import { meshOperationExecutePermissions } from '@meshstage/plugin-mesh-common';

/** An action that lifecycle permissions cover (`mesh.operation.<action>`). */
export type MeshOperationPermissionAction =
  keyof typeof meshOperationExecutePermissions;

/** Whether the user may run an action, and if not, why (for a disabled control's description). */
export interface MeshPermissionState {
  loading: boolean;
  allowed: boolean;
  /** Set when not allowed: a sentence naming the permission. */
  reason?: string;
}

const verbs: Partial<Record<MeshOperationPermissionAction, string>> = {
  onboard: 'onboard namespaces to a mesh',
  offboard: 'offboard namespaces from a mesh',
  install: 'install meshes',
  uninstall: 'uninstall meshes',
  upgrade: 'upgrade meshes',
  rollback: 'roll meshes back',
  resume: 'resume operations',
  revert: 'revert operations',
  reconcile: 'reconcile drift',
};

/**
 * The user's permission to execute a lifecycle action (`meshOperationExecutePermissions`). The
 * UI only hides or disables; the backend enforces.
 */
export function useMeshPermission(
  action: MeshOperationPermissionAction,
): MeshPermissionState {
  const permission = meshOperationExecutePermissions[action];
  const { loading, allowed, error } = usePermission({ permission });
  if (loading) return { loading: true, allowed: false };
  if (allowed) return { loading: false, allowed: true };
  const what = verbs[action] ?? `run ${action} operations`;
  return {
    loading: false,
    allowed: false,
    reason: error
      ? `Could not check your permission to ${what}: ${error.message}`
      : `You do not have permission to ${what} (${permission.name}).`,
  };
}
