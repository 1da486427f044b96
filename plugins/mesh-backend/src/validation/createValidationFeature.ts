import type {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type express from 'express';
import type { Knex } from 'knex';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClients } from '../cluster';
import { readValidationConfig } from './config';
import { EntityFindingsService } from './EntityFindingsService';
import { createValidationRouter } from './router';
import { scheduleValidationScans } from './scheduleScans';
import { ValidationService } from './ValidationService';
import { ValidationStore } from './ValidationStore';

/**
 * The validation feature of the mesh backend, built from the plugin's services: reads
 * `mesh.validation`, schedules the cluster scans and returns the feature's router.
 */
export async function createValidationFeature(deps: {
  config: Config;
  logger: LoggerService;
  knex: Knex;
  scheduler: SchedulerService;
  auditor: AuditorService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
}): Promise<express.Router> {
  const config = readValidationConfig(deps.config);
  const store = new ValidationStore(deps.knex, config.keepScans);
  const validation = new ValidationService({ store, logger: deps.logger });
  await scheduleValidationScans({
    scheduler: deps.scheduler,
    logger: deps.logger,
    config,
    clusters: deps.clusters,
    adapters: deps.adapters,
    validation,
  });
  return createValidationRouter({
    httpAuth: deps.httpAuth,
    permissions: deps.permissions,
    auditor: deps.auditor,
    catalog: deps.catalog,
    adapters: deps.adapters,
    clusters: deps.clusters,
    config,
    validation,
    store,
    entityFindings: new EntityFindingsService(deps.clusters, store),
  });
}
