import {
  meshOperationExecutePermissions,
  meshScopedPermissions,
} from '@meshstage/plugin-mesh-common';
import {
  type ActionPermissionState,
  useActionPermission,
  useScopedPermission,
} from './useActionPermission';
import type { RunAgainVerb } from '../lib/runAgain';

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

/** Whether the user may resume or revert an entity's onboard and offboard operations. */
export type EntityRunAgainPermissions = Record<
  RunAgainVerb,
  Record<'onboard' | 'offboard', MeshPermissionState>
>;

/**
 * The user's permission to resume or revert an onboard or offboard operation of one entity's
 * namespace, as the backend decides it: the platform-wide `mesh.operation.resume` / `revert`,
 * or the permission to start that action on the entity (`mesh.entity.onboard` / `offboard`).
 * The backend also requires the entity permission on every other entity living in the
 * namespace, which the UI cannot see: it may still answer 403.
 */
export function useEntityRunAgainPermissions(
  entityRef: string,
): EntityRunAgainPermissions {
  const scoped = (verb: RunAgainVerb, action: 'onboard' | 'offboard') => ({
    platform: meshOperationExecutePermissions[verb],
    entity: meshScopedPermissions[action].entity,
  });
  return {
    resume: {
      onboard: useScopedPermission(
        scoped('resume', 'onboard'),
        entityRef,
        'resume onboard operations',
      ),
      offboard: useScopedPermission(
        scoped('resume', 'offboard'),
        entityRef,
        'resume offboard operations',
      ),
    },
    revert: {
      onboard: useScopedPermission(
        scoped('revert', 'onboard'),
        entityRef,
        'revert onboard operations',
      ),
      offboard: useScopedPermission(
        scoped('revert', 'offboard'),
        entityRef,
        'revert offboard operations',
      ),
    },
  };
}
