import { findingCodes, selectAnalyzers } from '@meshstage/validation';
import type express from 'express';
import type { MeshFeatureDeps } from '../service/featureDeps';
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
export async function createValidationFeature(
  deps: Pick<
    MeshFeatureDeps,
    | 'config'
    | 'logger'
    | 'knex'
    | 'scheduler'
    | 'auditor'
    | 'httpAuth'
    | 'permissions'
    | 'entities'
    | 'adapters'
    | 'clusters'
  >,
): Promise<express.Router> {
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
    entities: deps.entities,
    adapters: deps.adapters,
    clusters: deps.clusters,
    config,
    validation,
    store,
    entityFindings: new EntityFindingsService(deps.clusters, store, () =>
      findingCodes(
        selectAnalyzers({ adapters: deps.adapters.list() }).analyzers,
      ),
    ),
  });
}
