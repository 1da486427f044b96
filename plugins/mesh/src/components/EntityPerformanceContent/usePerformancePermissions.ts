import {
  meshBenchmarkProfileWritePermission,
  meshBenchmarkRunPermission,
} from '@meshstage/plugin-mesh-common';
import {
  type ActionPermissionState,
  useActionPermission,
} from '../../hooks/useActionPermission';

/** Whether an action is allowed, and if not, why (shown beside the disabled control). */
export type ActionPermission = ActionPermissionState;

/** The Performance tab's two guarded actions. The UI disables; the backend enforces. */
export function usePerformancePermissions() {
  return {
    run: useActionPermission(
      meshBenchmarkRunPermission,
      'start benchmark runs',
    ),
    writeProfile: useActionPermission(
      meshBenchmarkProfileWritePermission,
      'create or edit performance profiles',
    ),
  };
}
