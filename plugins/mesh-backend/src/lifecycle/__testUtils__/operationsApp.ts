import type {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockErrorHandler, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { AdapterRegistry } from '../../adapters/AdapterRegistry';
import { ClusterClients } from '../../cluster';
import { OperationRunner } from '../OperationRunner';
import { OperationService } from '../OperationService';
import { OperationStore } from '../OperationStore';
import { createOperationsRouter } from '../router';
import type { Operation } from '../types';
import { kubernetesClustersConfig } from '../../__testUtils__/kubernetesConfig';
import { FINAL_STATES } from '../types';

/** One audit event as a recording auditor saw it. */
export interface RecordedAuditEvent {
  eventId: string;
  meta?: Record<string, unknown>;
  outcome: 'pending' | 'success' | 'fail';
  result?: Record<string, unknown>;
  error?: string;
}

/** An auditor that keeps every event, to assert on what was audited. */
export function recordingAuditor(): {
  auditor: AuditorService;
  events: RecordedAuditEvent[];
} {
  const events: RecordedAuditEvent[] = [];
  const auditor = {
    async createEvent(options: {
      eventId: string;
      meta?: Record<string, unknown>;
    }) {
      const event: RecordedAuditEvent = {
        eventId: options.eventId,
        meta: options.meta,
        outcome: 'pending',
      };
      events.push(event);
      return {
        async success(o?: { meta?: Record<string, unknown> }) {
          event.outcome = 'success';
          event.result = o?.meta;
        },
        async fail(o: { error: Error }) {
          event.outcome = 'fail';
          event.error = o.error.message;
        },
      };
    },
  } as unknown as AuditorService;
  return { auditor, events };
}

/**
 * The real clock plus an offset the test moves forward: `advance(ms)` makes that much time pass
 * for whoever reads `now`, at once, so a test never sleeps for a threshold to be crossed, and a
 * busy machine never crosses one the test did not move past.
 */
export function testClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}

/**
 * One "backend process": store, runner (its own instance id), service and the operations router
 * over a real express app, against the clusters given, with Backstage's error responses.
 */
export function startOperationsApp(options: {
  knex: Knex;
  clusters: Array<{ name: string; url: string; token: string }>;
  adapters: MeshAdapter[];
  instanceId: string;
  permissions?: PermissionsService;
  auditor?: AuditorService;
  interruptAfterMs?: number;
  heartbeatIntervalMs?: number;
  /** The clock of the interruption sweep (see {@link testClock}). */
  now?: () => Date;
}) {
  const logger = mockServices.logger.mock();
  const clusters = ClusterClients.fromConfig(
    new ConfigReader(kubernetesClustersConfig(options.clusters)),
    { logger },
  );
  const adapters = new AdapterRegistry();
  adapters.add(...options.adapters);
  const store = new OperationStore(options.knex);
  const runner = new OperationRunner({
    store,
    writer: name => clusters.writer(name),
    logger,
    instanceId: options.instanceId,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 200,
    pollIntervalMs: 100,
  });
  const service = new OperationService({
    adapters,
    clusters,
    store,
    runner,
    logger,
    interruptAfterMs: options.interruptAfterMs ?? 60_000,
    now: options.now,
  });
  const recorded = recordingAuditor();
  const app = express();
  app.use(
    '/api/mesh',
    createOperationsRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: options.permissions ?? mockServices.permissions(),
      auditor: options.auditor ?? recorded.auditor,
      operations: service,
      eventPollIntervalMs: 50,
    }),
  );
  app.use(mockErrorHandler());

  const api = {
    get: (path: string) => request(app).get(`/api/mesh${path}`),
    post: (path: string, body?: object) =>
      request(app)
        .post(`/api/mesh${path}`)
        .send(body ?? {}),
  };

  /** Polls `GET /operations/:id` until the operation is in a final state. */
  async function settled(id: string, timeoutMs = 120_000): Promise<Operation> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await api.get(`/operations/${id}`);
      if (res.status !== 200) {
        throw new Error(`GET /operations/${id} → ${res.status}`);
      }
      const op = res.body.operation as Operation;
      if (FINAL_STATES.includes(op.state)) return op;
      if (Date.now() > deadline) {
        throw new Error(`operation ${id} still ${op.state}`);
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  return {
    app,
    api,
    settled,
    store,
    runner,
    service,
    clusters,
    logger,
    audit: recorded.events,
  };
}
