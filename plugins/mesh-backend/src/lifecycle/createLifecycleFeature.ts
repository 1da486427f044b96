import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type express from 'express';
import type { MeshFeatureDeps } from '../service/featureDeps';
import { OperationRunner } from './OperationRunner';
import { OperationService } from './OperationService';
import { OperationStore } from './OperationStore';
import { readOperationsConfig } from './readOperationsConfig';
import { createOperationsRouter } from './router';
import type { BenchmarkFeature } from '../benchmark';
import { CanaryGateRunner } from './canaryGate/CanaryGateRunner';
import { GateRunStore } from './canaryGate/GateRunStore';
import { resolveCanaryGate } from './canaryGate/resolveGate';
import { createDriftRouter, DriftService, DriftStore } from '../drift';
import Router from 'express-promise-router';
import { createReadNamespaceResidents } from '../onboarding/readNamespaceResidents';

/** The core services the lifecycle feature is built from. */
export type LifecycleFeatureOptions = Pick<
  MeshFeatureDeps,
  | 'config'
  | 'logger'
  | 'knex'
  | 'scheduler'
  | 'lifecycle'
  | 'httpAuth'
  | 'permissions'
  | 'auditor'
  | 'adapters'
  | 'clusters'
> & {
  /** Where canary gates run their benchmarks; without it gated upgrades are refused. */
  benchmarks?: Pick<BenchmarkFeature, 'service' | 'store' | 'limits'>;
} & Partial<Pick<MeshFeatureDeps, 'catalog' | 'auth'>>;

/**
 * The lifecycle feature: its routes, and the service through which other features (the automatic
 * onboarding) start operations the same way a request does.
 */
export interface LifecycleFeature {
  router: express.Router;
  operations: OperationService;
}

/** A backend process's id for operation ownership: host name plus a random suffix. */
export function newInstanceId(): string {
  return `${os.hostname().slice(0, 40)}-${randomUUID().slice(0, 8)}`;
}

/**
 * Builds lifecycle operations: store, runner (with this process's instance id), service and
 * router. Marks operations of dead backend processes interrupted now and every minute, and stops
 * heartbeats on shutdown.
 */
export async function createLifecycleFeature(
  options: LifecycleFeatureOptions,
): Promise<LifecycleFeature> {
  const { config, logger, knex, scheduler, lifecycle } = options;
  const settings = readOperationsConfig(config);
  const store = new OperationStore(knex);
  const { benchmarks } = options;
  const runner = new OperationRunner({
    store,
    writer: name => options.clusters.writer(name),
    logger,
    instanceId: newInstanceId(),
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    pollIntervalMs: 1000,
    ...(benchmarks && {
      gate: new CanaryGateRunner({
        benchmarks: benchmarks.service,
        store: benchmarks.store,
        runs: new GateRunStore(knex),
        auditor: options.auditor,
        pollIntervalMs: 1000,
      }),
    }),
  });
  const drift = new DriftService({
    store: new DriftStore(knex),
    applied: (cluster, mesh) => store.listAppliedObjects(cluster, mesh),
    clusters: options.clusters,
    logger,
  });
  const service = new OperationService({
    adapters: options.adapters,
    clusters: options.clusters,
    store,
    runner,
    logger,
    interruptAfterMs: settings.interruptAfterMs,
    planReconcile: request => drift.planReconcile(request),
    ...(benchmarks && {
      resolveCanaryGate: (request, detection) =>
        resolveCanaryGate(request, detection, {
          getProfile: id => benchmarks.store.getProfile(id),
          limits: benchmarks.limits,
          clusterNames: () => options.clusters.names(),
        }),
    }),
  });
  lifecycle.addShutdownHook(() => runner.stop());

  await service.sweepInterrupted();
  await scheduler.scheduleTask({
    id: 'mesh-operations-interrupt-sweep',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      await service.sweepInterrupted();
    },
  });

  await scheduler.scheduleTask({
    id: 'mesh-drift-check',
    frequency: settings.driftSchedule,
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      await drift.checkAll();
    },
  });

  const router = Router();
  router.use(
    createOperationsRouter({
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      auditor: options.auditor,
      operations: service,
      // Entity owners' onboard and offboard requests are checked against the catalog.
      ...(options.catalog &&
        options.auth && {
          namespaceResidents: createReadNamespaceResidents({
            catalog: options.catalog,
            auth: options.auth,
            clusters: options.clusters,
          }),
        }),
    }),
  );
  router.use(
    createDriftRouter({
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      drift,
      adapters: options.adapters,
      clusters: options.clusters,
    }),
  );
  return { router, operations: service };
}
