import {
  MESH_ANNOTATION,
  MESH_CLUSTER_ANNOTATION,
} from '@meshstage/plugin-mesh-common';
import type express from 'express';
import type { ClusterClients } from '../cluster';
import type { MeshFeatureDeps } from '../service/featureDeps';
import { BenchmarkService, type EntityTargetLookup } from './BenchmarkService';
import { BenchmarkStore } from './BenchmarkStore';
import { InClusterRunner } from './InClusterRunner';
import { InProcessRunner } from './InProcessRunner';
import { type BenchmarkLimits, readBenchmarkConfig } from './limits';
import { createBenchmarkRouter } from './router';
import { readSecretBox } from './readSecretBox';
import type { BenchmarkRunner } from './types';

/** The core services the benchmark feature is built from. */
export interface BenchmarkFeatureOptions
  extends Pick<
    MeshFeatureDeps,
    | 'config'
    | 'logger'
    | 'knex'
    | 'scheduler'
    | 'lifecycle'
    | 'httpAuth'
    | 'permissions'
    | 'auditor'
    | 'catalog'
    | 'auth'
  > {
  /** The configured clusters: where in-cluster runs create their Jobs. */
  clusters?: ClusterClients;
  /** Defaults to the in-process runner. */
  runner?: BenchmarkRunner;
}

/** The benchmark feature: its routes, and what lifecycle operations' canary gates run with. */
export interface BenchmarkFeature {
  router: express.Router;
  /** The run queue: gate benchmarks go through it like every other run. */
  service: BenchmarkService;
  store: BenchmarkStore;
  limits: BenchmarkLimits;
}

/**
 * Builds the benchmark feature: store, run queue, the schedule task (every minute, queueing due
 * cron slots exactly once across instances and starting queued runs) and the router.
 */
export async function createBenchmarkFeature(
  options: BenchmarkFeatureOptions,
): Promise<BenchmarkFeature> {
  const {
    config,
    logger,
    knex,
    scheduler,
    lifecycle,
    catalog,
    auth,
    clusters,
  } = options;
  const benchmarkConfig = readBenchmarkConfig(config);
  const store = new BenchmarkStore(knex);
  const secrets = readSecretBox(config, logger);

  // Scheduled runs have no caller: the entity is read with the plugin's own credentials.
  const entityTarget: EntityTargetLookup = async entityRef => {
    try {
      const entity = await catalog.getEntityByRef(entityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      const a = entity?.metadata.annotations ?? {};
      return { mesh: a[MESH_ANNOTATION], cluster: a[MESH_CLUSTER_ANNOTATION] };
    } catch (error) {
      logger.warn(`Could not read ${entityRef} from the catalog: ${error}`);
      return undefined;
    }
  };

  const service = new BenchmarkService({
    store,
    runner: options.runner ?? new InProcessRunner(),
    ...(clusters
      ? {
          clusterRunner: new InClusterRunner({
            writer: name => clusters.writer(name),
            logger,
          }),
        }
      : {}),
    config: benchmarkConfig,
    logger,
    entityTarget,
    secrets,
  });
  await service.start();
  lifecycle.addShutdownHook(() => service.stop());

  await scheduler.scheduleTask({
    id: 'mesh-benchmark-schedule',
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 15 },
    fn: async () => {
      await service.queueScheduled();
    },
  });

  const router = createBenchmarkRouter({
    httpAuth: options.httpAuth,
    permissions: options.permissions,
    auditor: options.auditor,
    catalog,
    store,
    service,
    limits: benchmarkConfig.limits,
    clusterNames: () => clusters?.names() ?? [],
    secrets,
  });
  return { router, service, store, limits: benchmarkConfig.limits };
}
