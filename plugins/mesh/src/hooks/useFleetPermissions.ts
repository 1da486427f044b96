import { usePermission } from '@backstage/plugin-permission-react';
import { meshOperationExecutePermissions } from '@meshstage/plugin-mesh-common';
import type { MeshPermissionState } from './useMeshPermission';

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

const verbs: Record<FleetPermissionAction, string> = {
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
    // A fixed list: the hooks run in the same order on every render.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    const { loading, allowed, error } = usePermission({ permission });
    if (loading) {
      result[action] = {
        loading: true,
        allowed: false,
        reason: 'Checking your permission…',
      };
    } else if (allowed) {
      result[action] = { loading: false, allowed: true };
    } else {
      result[action] = {
        loading: false,
        allowed: false,
        reason: error
          ? `Could not check your permission to ${verbs[action]}: ${error.message}`
          : `You do not have permission to ${verbs[action]} (${permission.name}).`,
      };
    }
  }
  return result;
}
