import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  meshStatusReadPermission,
  ONBOARDING_STATES,
  type OnboardingState,
} from '@meshstage/plugin-mesh-common';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { ClusterClients } from '../cluster';
import { createAuthorize, parseInput } from '../service/http';
import { requireCluster } from '../service/lookups';
import type { OnboardingService } from './OnboardingService';

const name = z.string().min(1).max(253);

/** `GET /onboarding` query parameters. */
export const onboardingQuerySchema = z
  .object({
    cluster: name.optional(),
    mesh: name.optional(),
    state: z
      .enum(ONBOARDING_STATES as [OnboardingState, ...OnboardingState[]])
      .optional(),
  })
  .strict();

/** What {@link createOnboardingRouter} needs. */
export interface OnboardingRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  clusters: ClusterClients;
  onboarding: OnboardingService;
}

/**
 * `GET /onboarding`: every entity that asks for a mesh (or that the onboarding onboarded and no
 * longer does), its state, the reason and the operations that would bring it in sync, with the
 * latest automatic operation. Needs `mesh.status.read`; the catalog is read with the caller's
 * credentials.
 */
export function createOnboardingRouter(
  options: OnboardingRouterOptions,
): express.Router {
  const { clusters, onboarding } = options;
  const authorize = createAuthorize(options.httpAuth, options.permissions);
  const router = Router();

  router.get('/onboarding', async (req, res) => {
    const credentials = await authorize(req, meshStatusReadPermission);
    const query = parseInput(
      onboardingQuerySchema,
      req.query,
      'query parameter',
    );
    if (query.cluster) {
      requireCluster(clusters, query.cluster, "query parameter 'cluster'");
    }
    res.json(await onboarding.list(query, credentials));
  });

  return router;
}
