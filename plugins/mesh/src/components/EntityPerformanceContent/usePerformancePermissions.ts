import { meshScopedPermissions } from '@meshstage/plugin-mesh-common';
import {
  type ActionPermissionState,
  useScopedPermission,
} from '../../hooks/useActionPermission';

/** Whether an action is allowed, and if not, why (shown beside the disabled control). */
export type ActionPermission = ActionPermissionState;

/**
 * The Performance tab's two guarded actions on one entity: the platform-wide permissions, or the
 * entity-scoped ones on it. The UI disables; the backend enforces.
 */
export function usePerformancePermissions(entityRef: string) {
  return {
    run: useScopedPermission(
      meshScopedPermissions.benchmarkRun,
      entityRef,
      'start benchmark runs',
    ),
    writeProfile: useScopedPermission(
      meshScopedPermissions.benchmarkProfileWrite,
      entityRef,
      'create or edit performance profiles',
    ),
  };
}
