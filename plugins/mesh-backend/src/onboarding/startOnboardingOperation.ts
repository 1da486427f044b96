import type {
  AuditorService,
  AuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  meshOperationExecutePermissions,
  type Operation,
  type OperationCause,
} from '@meshstage/plugin-mesh-common';
import type { OperationService } from '../lifecycle';
import { audited } from '../service/audited';
import type { PlannedStart } from './planStarts';
import { principalRef } from '../service/principalRef';

/** What {@link startOnboardingOperation} needs. */
export interface OnboardingStartDeps {
  auth: AuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  operations: OperationService;
}

/**
 * Starts an onboard or offboard operation for entities, on the path a user's
 * `POST /operations` takes: the same audit event (`mesh-operation-create`, created before the
 * permission check so a refusal is on record too), the same per-action permission, checked for
 * the plugin's own service principal, and {@link OperationService.start} (planner, lock, operation
 * row, run), with the entities recorded as the operation's cause. Throws what the request would
 * answer with: 403, 400 for a request the planner refuses, 409 for a held lock.
 */
export async function startOnboardingOperation(
  deps: OnboardingStartDeps,
  start: PlannedStart,
): Promise<Operation> {
  const { auth, permissions, auditor, operations } = deps;
  const { request } = start.fix;
  const cause: OperationCause = {
    kind: 'onboarding',
    entityRefs: [...start.entityRefs].sort(),
  };
  return audited(
    auditor,
    {
      eventId: 'mesh-operation-create',
      severityLevel: 'medium',
      meta: {
        action: request.action,
        cluster: request.cluster,
        mesh: request.mesh,
        namespace: request.namespace,
        cause: cause.kind,
        entityRefs: cause.entityRefs,
      },
    },
    async () => {
      const credentials = await auth.getOwnServiceCredentials();
      const permission = meshOperationExecutePermissions[request.action];
      const [decision] = await permissions.authorize([{ permission }], {
        credentials,
      });
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Not allowed (permission ${permission.name})`,
        );
      }
      return operations.start(request, principalRef(credentials), { cause });
    },
    op => ({ operationId: op.id, summary: op.summary }),
  );
}
