import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { meshPermissions } from '@meshstage/plugin-mesh-common';
import { meshAdaptersExtensionPoint } from '@meshstage/plugin-mesh-node';
import { AdapterRegistry } from './adapters/AdapterRegistry';
import { ClusterClients } from './cluster';
import { openMeshDatabase } from './database';
import type { MeshFeatureDeps } from './service/featureDeps';
import { EntityLookup } from './service/EntityLookup';
import { ReadPermissionCache } from './service/ReadPermissionCache';
import { readPermissionCacheTtl } from './service/readPermissionCacheTtl';
import { createRouter } from './service/router';
import type express from 'express';
import {
  createFleetRouter,
  EntityStatusService,
  MeshStatusService,
} from './status';
import { createBenchmarkFeature } from './benchmark';
import { createValidationFeature } from './validation';
import { createLifecycleFeature, OperationStore } from './lifecycle';
import { createChartsService } from './charts';
import { createTopologyFeature } from './topology';
import { createOnboardingFeature } from './onboarding';

/**
 * The mesh backend plugin: mesh status per cluster and per catalog entity, through the adapters
 * that modules register with `meshAdaptersExtensionPoint`.
 * @public
 */
export const meshPlugin = createBackendPlugin({
  pluginId: 'mesh',
  register(env) {
    const adapters = new AdapterRegistry();
    env.registerExtensionPoint(meshAdaptersExtensionPoint, {
      addAdapter(...added) {
        adapters.add(...added);
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        permissions: permissionsService,
        permissionsRegistry,
        catalog,
        database,
        scheduler,
        auditor,
        lifecycle,
        auth,
      }) {
        permissionsRegistry.addPermissions(meshPermissions);
        // Every route's checks; decisions on read permissions are reused for a few seconds.
        const readTtlMs = readPermissionCacheTtl(config);
        const permissions =
          readTtlMs > 0
            ? new ReadPermissionCache(permissionsService, { ttlMs: readTtlMs })
            : permissionsService;

        const clusters = ClusterClients.fromConfig(config, { logger });
        lifecycle.addShutdownHook(() => clusters.stop());
        if (adapters.list().length === 0) {
          logger.warn(
            'No mesh adapters registered; add a module such as @meshstage/plugin-mesh-backend-module-istio',
          );
        }
        logger.info(
          `Mesh backend: adapters [${adapters
            .ids()
            .join(', ')}], clusters [${clusters
            .names()
            .join(', ')}], cluster timeout ${clusters.timeoutMs} ms`,
        );

        const knex = await openMeshDatabase(database);
        // The vendors' charts (mesh.charts): the adapters as the features see them offer the
        // chart repositories' versions and get VendorManifests in their plan context.
        const { charts, adapters: meshAdapters } = await createChartsService({
          config,
          logger,
          scheduler,
          adapters,
          appliedObjects: async (cluster, mesh) =>
            (
              await new OperationStore(knex).listAppliedObjects(cluster, mesh)
            ).map(applied => applied.object),
        });
        // Each feature (lifecycle operations, validation, benchmarks) builds its services and
        // router from these and pushes the router here.
        const deps: MeshFeatureDeps = {
          config,
          logger,
          knex,
          scheduler,
          lifecycle,
          httpAuth,
          permissions,
          auditor,
          catalog,
          entities: new EntityLookup({ httpAuth, permissions, catalog, auth }),
          auth,
          adapters: meshAdapters,
          clusters,
        };
        // Built before the lifecycle feature: canary gates run their benchmarks through it.
        const benchmarks = await createBenchmarkFeature(deps);
        const lifecycleFeature = await createLifecycleFeature({
          ...deps,
          benchmarks,
        });
        // GET /onboarding, the entity status's onboarding state and, in auto mode, the task
        // that starts operations through the lifecycle's service.
        const onboarding = await createOnboardingFeature({
          ...deps,
          operations: lifecycleFeature.operations,
        });
        const features: express.Router[] = [
          lifecycleFeature.router,
          await createValidationFeature(deps),
          benchmarks.router,
          // GET /fleet: the platform page's grid (status, drift, scans, open operations).
          createFleetRouter(deps),
          // GET /topology: an entity's or a cluster's graph of workloads, Services and routes.
          createTopologyFeature(deps),
          onboarding.router,
        ];

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            entities: deps.entities,
            adapters: meshAdapters,
            charts,
            clusters,
            meshStatus: new MeshStatusService(clusters.timeoutMs),
            entityStatus: new EntityStatusService(clusters, {
              onboarding: onboarding.entityOnboarding,
            }),
            features,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
