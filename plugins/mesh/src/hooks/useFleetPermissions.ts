import { usePermission } from '@backstage/plugin-permission-react';
import { meshOperationExecutePermissions } from '@meshstage/plugin-mesh-common';
import { type MeshPermissionState, OPERATION_VERBS } from './useMeshPermission';
import { describePermission } from './useActionPermission';

const ACTIONS = [
  'install',
  'upgrade',
  'rollback',
  'uninstall',
  'onboard',
  'offboard',
  'deploy-sample',
  'remove-sample',
  'reconcile',
  'resume',
  'revert',
] as const;

/** The fleet page's actions, each with the user's permission to execute it. */
export type FleetPermissionAction = (typeof ACTIONS)[number];

/**
 * The user's permission for every lifecycle action the fleet page offers
 * (`meshOperationExecutePermissions.<action>`), with the reason when denied. The UI disables;
 * the backend enforces.
 */
export function useFleetPermissions(): Record<
  FleetPermissionAction,
  MeshPermissionState
> {
  const result = {} as Record<FleetPermissionAction, MeshPermissionState>;
  for (const action of ACTIONS) {
    const permission = meshOperationExecutePermissions[action];
    result[action] = describePermission(
      // A fixed list: the hooks run in the same order on every render.
      // eslint-disable-next-line react-hooks/rules-of-hooks
      usePermission({ permission }),
      permission,
      OPERATION_VERBS[action] ?? `run ${action} operations`,
    );
  }
  return result;
}
