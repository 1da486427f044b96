import type { Entity } from '@backstage/catalog-model';
import type { EntityOnboarding } from '@meshstage/plugin-mesh-common';
import type express from 'express';
import type { OperationService } from '../lifecycle';
import type { MeshFeatureDeps } from '../service/featureDeps';
import { OnboardingAutomation } from './OnboardingAutomation';
import { OnboardingService } from './OnboardingService';
import { readOnboardingConfig } from './readOnboardingConfig';
import { RefusalBook } from './RefusalBook';
import { createOnboardingRouter } from './router';

/** The scheduler task id of the automatic onboarding (`mesh.onboarding.mode: auto`). */
export const ONBOARDING_TASK_ID = 'mesh-onboarding';

/** What the onboarding feature is built from: the plugin's deps and the lifecycle's operations. */
export type OnboardingFeatureOptions = Pick<
  MeshFeatureDeps,
  | 'config'
  | 'logger'
  | 'scheduler'
  | 'httpAuth'
  | 'permissions'
  | 'auditor'
  | 'catalog'
  | 'auth'
  | 'adapters'
  | 'clusters'
> & {
  /** The lifecycle feature's service: automatic operations start where users' do. */
  operations: OperationService;
};

/** The onboarding feature: its route, and the entity status's onboarding state. */
export interface OnboardingFeature {
  router: express.Router;
  /** One entity's state (catalog read with the caller's credentials). */
  entityOnboarding(entity: Entity): Promise<EntityOnboarding | undefined>;
}

/**
 * Builds the catalog-driven onboarding: `GET /onboarding`, the entity status's state and, with
 * `mesh.onboarding.mode: auto`, the scheduled task that starts onboard and offboard operations
 * (scope `global`: one backend instance runs each tick). A malformed `mesh.onboarding` stops the
 * plugin at start, naming the key.
 */
export async function createOnboardingFeature(
  options: OnboardingFeatureOptions,
): Promise<OnboardingFeature> {
  const { config, logger, scheduler, operations } = options;
  const settings = readOnboardingConfig(config);
  const refusals = new RefusalBook();
  const service = new OnboardingService({
    catalog: options.catalog,
    auth: options.auth,
    clusters: options.clusters,
    adapters: options.adapters,
    store: operations.store,
    settings,
    refusals,
  });

  if (settings.mode === 'auto') {
    const automation = new OnboardingAutomation({
      ...options,
      service,
      store: operations.store,
      settings,
      refusals,
    });
    await scheduler.scheduleTask({
      id: ONBOARDING_TASK_ID,
      scope: 'global',
      frequency: settings.frequency,
      timeout: { minutes: 5 },
      initialDelay: { seconds: 30 },
      fn: async () => {
        await automation.tick();
      },
    });
    logger.info(
      `Mesh onboarding: automatic, at most ${settings.maxConcurrent} operations at a time`,
    );
  }

  return {
    router: createOnboardingRouter({
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      clusters: options.clusters,
      onboarding: service,
    }),
    entityOnboarding: entity => service.forEntity(entity),
  };
}
