import { usePermission } from '@backstage/plugin-permission-react';
import {
  meshBenchmarkProfileWritePermission,
  meshBenchmarkRunPermission,
} from '@meshstage/plugin-mesh-common';
import type { BasicPermission } from '@backstage/plugin-permission-common';

/** Whether an action is allowed, and if not, why (shown beside the disabled control). */
export interface ActionPermission {
  loading: boolean;
  allowed: boolean;
  reason?: string;
}

function useAction(
  permission: BasicPermission,
  what: string,
): ActionPermission {
  const { loading, allowed, error } = usePermission({ permission });
  if (loading)
    return { loading, allowed: false, reason: 'Checking your permission…' };
  if (allowed) return { loading, allowed };
  return {
    loading,
    allowed: false,
    reason: error
      ? `Could not check your permission to ${what}: ${error.message}`
      : `You do not have permission to ${what} (${permission.name}).`,
  };
}

/** The Performance tab's two guarded actions. The UI disables; the backend enforces. */
export function usePerformancePermissions() {
  return {
    run: useAction(meshBenchmarkRunPermission, 'start benchmark runs'),
    writeProfile: useAction(
      meshBenchmarkProfileWritePermission,
      'create or edit performance profiles',
    ),
  };
}
