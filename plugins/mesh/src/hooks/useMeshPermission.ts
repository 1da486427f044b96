import {
  meshOperationExecutePermissions,
  meshScopedPermissions,
} from '@meshstage/plugin-mesh-common';
import {
  type ActionPermissionState,
  useActionPermission,
  useScopedPermission,
} from './useActionPermission';

/** An action that lifecycle permissions cover (`mesh.operation.<action>`). */
export type MeshOperationPermissionAction =
  keyof typeof meshOperationExecutePermissions;

/** Whether the user may run a lifecycle action, and if not, why. */
export type MeshPermissionState = ActionPermissionState;

/** What each lifecycle permission lets people do, completing "You do not have permission to". */
export const OPERATION_VERBS: Partial<
  Record<MeshOperationPermissionAction, string>
> = {
  install: 'install meshes',
  upgrade: 'upgrade meshes',
  rollback: 'roll meshes back',
  uninstall: 'uninstall meshes',
  onboard: 'onboard namespaces to a mesh',
  offboard: 'offboard namespaces from a mesh',
  'deploy-sample': 'deploy sample applications',
  'remove-sample': 'remove sample applications',
  reconcile: 'reconcile drift',
  resume: 'resume operations',
  revert: 'revert operations',
};

/**
 * The user's permission to execute a lifecycle action (`meshOperationExecutePermissions`). The
 * UI only hides or disables; the backend enforces.
 */
export function useMeshPermission(
  action: MeshOperationPermissionAction,
): MeshPermissionState {
  return useActionPermission(
    meshOperationExecutePermissions[action],
    OPERATION_VERBS[action] ?? `run ${action} operations`,
  );
}

/**
 * The user's permission to onboard or offboard the namespaces of one entity: the platform-wide
 * `mesh.operation.<action>`, or `mesh.entity.<action>` on the entity.
 */
export function useEntityMeshPermission(
  action: 'onboard' | 'offboard',
  entityRef: string,
): MeshPermissionState {
  return useScopedPermission(
    meshScopedPermissions[action],
    entityRef,
    OPERATION_VERBS[action]!,
  );
}
