import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { serializeError } from '@backstage/errors';
import {
  meshBenchmarkReadPermission,
  meshBenchmarkRunPermission,
  meshOperationExecutePermissions,
  meshOperationReadPermission,
  meshScopedPermissions,
} from '@meshstage/plugin-mesh-common';
import { formatGateBudget } from '@meshstage/plugin-mesh-node';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { audited } from '../service/audited';
import { createAuthorize, parseInput } from '../service/http';
import type { OperationService } from './OperationService';
import { OperationConflictError } from './OperationStore';
import {
  listQuerySchema,
  operationPathSchema,
  operationRequestSchema,
  runRequestSchema,
  splitOperationRequest,
} from './requestSchema';
import { streamOperationEvents } from './streamEvents';
import type { Operation } from './types';
import { jsonBody } from '../service/jsonBody';
import { principalRef } from '../service/principalRef';
import { createAuthorizeScoped } from '../service/authorizeScoped';
import { authorizeNamespace } from '../onboarding/authorizeNamespace';
import type { ReadNamespaceResidents } from '../onboarding/readNamespaceResidents';
import {
  maskOperationSecrets,
  maskPlanSecrets,
} from './canaryGate/gateSecrets';

/** What {@link createOperationsRouter} needs. */
export interface OperationsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  operations: OperationService;
  /** How often the event stream looks for new log lines; 500 ms by default. */
  eventPollIntervalMs?: number;
  /**
   * The catalog entities living in a namespace, for onboard and offboard requests from callers
   * without the platform permission; without it those need the platform permission.
   */
  namespaceResidents?: ReadNamespaceResidents;
}

/** `GET /operations` filters beyond the request schema's: who started it, and paging. */
const listPagingSchema = {
  createdBy: z.string().min(1).max(512).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
};

/** An operation for lists: without the plan and detection, which can be large. */
function listed(op: Operation) {
  const { plan, previousDetection, ...rest } = op;
  return { ...rest, steps: plan.steps.length };
}

/**
 * Lifecycle operation routes under `/api/mesh`: `POST /operations` (dry run or start),
 * `GET /operations`, `GET /operations/:id`, `GET /operations/:id/events` (SSE),
 * `POST /operations/:id/resume` and `/revert`. Dry runs and reads need
 * `mesh.operation.read`; executing needs the action's permission (a gated canary upgrade also
 * `mesh.benchmark.run`); every execution request is audited.
 */
export function createOperationsRouter(
  options: OperationsRouterOptions,
): express.Router {
  const { auditor, operations } = options;
  const authorize = createAuthorize(options.httpAuth, options.permissions);
  const authorizeScoped = createAuthorizeScoped(
    options.httpAuth,
    options.permissions,
  );
  const pollIntervalMs = options.eventPollIntervalMs ?? 500;
  const router = Router();
  router.use('/operations', jsonBody());

  /**
   * Runs a mutation under an audit event created before the permission check (so refused
   * requests are recorded too), answering 202 with the operation, or 409 naming the holder.
   */
  async function auditedMutation(
    req: express.Request,
    res: express.Response,
    eventId: string,
    meta: Record<string, string>,
    authorized: () => Promise<BackstageCredentials>,
    mutate: (credentials: BackstageCredentials) => Promise<Operation>,
  ) {
    try {
      const operation = await audited(
        auditor,
        { eventId, request: req, severityLevel: 'medium', meta },
        async () => mutate(await authorized()),
        op => ({ operationId: op.id, summary: op.summary }),
      );
      res.status(202).json({ operation: maskOperationSecrets(operation) });
    } catch (error) {
      if (error instanceof OperationConflictError) {
        // Backstage's error body (so clients' ResponseError parses it), plus the holder's id as
        // a field of its own, so clients can link to it.
        res.status(409).json({
          error: serializeError(error),
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 409 },
          operationId: error.operationId,
        });
        return;
      }
      throw error;
    }
  }

  router.post('/operations', async (req, res) => {
    const { request, dryRun } = splitOperationRequest(
      parseInput(operationRequestSchema, req.body, 'body field'),
    );
    // A canary gate runs benchmarks: starting one needs the right to run them too, and its dry
    // run shows the profile, which needs the right to read benchmarks.
    const gate = request.action === 'upgrade' ? request.gate : undefined;
    if (dryRun) {
      await authorize(req, meshOperationReadPermission);
      if (gate) await authorize(req, meshBenchmarkReadPermission);
      const preview = await operations.preview(request);
      res.json({ ...preview, plan: maskPlanSecrets(preview.plan) });
      return;
    }
    await auditedMutation(
      req,
      res,
      'mesh-operation-create',
      {
        action: request.action,
        cluster: request.cluster,
        mesh: request.mesh,
        ...(gate
          ? {
              gateProfile:
                typeof gate.profile === 'string'
                  ? gate.profile
                  : gate.profile.name,
              gateBudget: formatGateBudget(gate.budget),
            }
          : {}),
      },
      async () => {
        if (request.action !== 'onboard' && request.action !== 'offboard') {
          return authorize(
            req,
            meshOperationExecutePermissions[request.action],
          );
        }
        // Owners of the entities living in the namespace may onboard and offboard it.
        const permission = meshScopedPermissions[request.action];
        const access = await authorizeScoped(req, permission);
        await authorizeNamespace(access, permission, request, async () =>
          options.namespaceResidents
            ? options.namespaceResidents(request.cluster, request.namespace)
            : { entityRefs: [], unclaimedPods: [] },
        );
        return access.credentials;
      },
      async credentials => {
        if (gate) await authorize(req, meshBenchmarkRunPermission, credentials);
        return operations.start(request, principalRef(credentials));
      },
    );
  });

  router.get('/operations', async (req, res) => {
    await authorize(req, meshOperationReadPermission);
    const query = parseInput(
      listQuerySchema.extend(listPagingSchema),
      req.query,
      'query parameter',
    );
    const items = await operations.store.list(query);
    res.json({ items: items.map(listed) });
  });

  router.get('/operations/:id', async (req, res) => {
    await authorize(req, meshOperationReadPermission);
    const { id } = parseInput(
      operationPathSchema,
      req.params,
      'path parameter',
    );
    const operation = await operations.store.require(id);
    const log = await operations.store.listLog(id);
    res.json({ operation: maskOperationSecrets(operation), log });
  });

  router.get('/operations/:id/events', async (req, res) => {
    await authorize(req, meshOperationReadPermission);
    const { id } = parseInput(
      operationPathSchema,
      req.params,
      'path parameter',
    );
    await operations.store.require(id);
    await streamOperationEvents(operations.store, id, req, res, pollIntervalMs);
  });

  /**
   * Who may resume or revert an operation: holders of `mesh.operation.resume` / `revert`, and for
   * an onboard or offboard also whoever may start it, the owners of the entities living in its
   * namespace (the same check as starting it), so owners can finish or undo their own onboarding.
   */
  async function authorizeRunAgain(
    req: express.Request,
    verb: 'resume' | 'revert',
    id: string,
  ): Promise<BackstageCredentials> {
    // Authenticated before the operation is looked up: a 401 says nothing about which ids exist.
    // The permission checks below take these credentials instead of authenticating again.
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { request } = await operations.store.require(id);
    if (request.action !== 'onboard' && request.action !== 'offboard') {
      return authorize(req, meshOperationExecutePermissions[verb], credentials);
    }
    const permission = {
      platform: meshOperationExecutePermissions[verb],
      entity: meshScopedPermissions[request.action].entity,
    };
    const access = await authorizeScoped(req, permission, credentials);
    await authorizeNamespace(access, permission, request, async () =>
      options.namespaceResidents
        ? options.namespaceResidents(request.cluster, request.namespace)
        : { entityRefs: [], unclaimedPods: [] },
    );
    return access.credentials;
  }

  for (const verb of ['resume', 'revert'] as const) {
    router.post(`/operations/:id/${verb}`, async (req, res) => {
      const { id } = parseInput(
        operationPathSchema,
        req.params,
        'path parameter',
      );
      const { dryRun } = parseInput(
        runRequestSchema,
        req.body ?? {},
        'body field',
      );
      if (dryRun) {
        await authorize(req, meshOperationReadPermission);
        const preview =
          verb === 'resume'
            ? await operations.previewResume(id)
            : await operations.previewRevert(id);
        res.json({
          ...preview,
          plan: maskPlanSecrets(preview.plan),
          operation: maskOperationSecrets(preview.operation),
        });
        return;
      }
      await auditedMutation(
        req,
        res,
        `mesh-operation-${verb}`,
        { operationId: id },
        () => authorizeRunAgain(req, verb, id),
        async credentials => {
          if (verb === 'revert') return operations.revert(id);
          // Resuming a gated canary runs its benchmarks again.
          const { plan } = await operations.store.require(id);
          if (plan.steps.some(s => s.type === 'benchmark')) {
            await authorize(req, meshBenchmarkRunPermission, credentials);
          }
          return operations.resume(id);
        },
      );
    });
  }

  return router;
}
