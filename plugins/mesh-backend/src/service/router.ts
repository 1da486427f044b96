import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { meshStatusReadPermission } from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ChartsService } from '../charts';
import {
  type ClusterClient,
  type ClusterClients,
  describeCluster,
} from '../cluster';
import type { EntityStatusService, MeshStatusService } from '../status';
import type { EntityLookup } from './EntityLookup';
import { createAuthorize, parseInput } from './http';
import { requireAdapter, requireCluster } from './lookups';

/** What {@link createRouter} needs. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  /** The entities the entity routes are about, with the caller's read permission checked. */
  entities: EntityLookup;
  adapters: AdapterRegistry;
  /** The vendors' charts: `GET /adapters` shows each adapter's installable versions and source. */
  charts?: Pick<ChartsService, 'info'>;
  clusters: ClusterClients;
  meshStatus: MeshStatusService;
  entityStatus: EntityStatusService;
  /**
   * The routers of the plugin's features (lifecycle operations, validation, benchmarks), each
   * built in its own module and mounted after the status routes.
   */
  features?: express.Router[];
}

const statusQuerySchema = z.object({
  cluster: z.string().min(1).optional(),
  mesh: z.string().min(1).optional(),
});

/** The mesh plugin's REST API, mounted at `/api/mesh`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    entities,
    adapters,
    charts,
    clusters,
    meshStatus,
    entityStatus,
    features = [],
  } = options;

  const authorize = createAuthorize(httpAuth, permissions);
  const authorizedCredentials = (req: express.Request) =>
    authorize(req, meshStatusReadPermission);

  /** All clusters, or the one named. */
  function selectClusters(name: string | undefined): ClusterClient[] {
    if (!name) return clusters.list();
    return [requireCluster(clusters, name, "query parameter 'cluster'")];
  }

  /** All adapters, or the one named. */
  function selectAdapters(id: string | undefined): MeshAdapter[] {
    if (!id) return adapters.list();
    return [requireAdapter(adapters, id, "query parameter 'mesh'")];
  }

  const router = Router();

  // Unauthenticated (see the auth policy in plugin.ts): probes must not need a token.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/adapters', async (req, res) => {
    await authorizedCredentials(req);
    const items = adapters.info().map(info => {
      const adapter = adapters.get(info.id);
      if (!charts || !adapter) return info;
      const { versions, ...chartInfo } = charts.info(adapter);
      return { ...info, versions, charts: chartInfo };
    });
    res.json({ items });
  });

  router.get('/clusters', async (req, res) => {
    await authorizedCredentials(req);
    // In parallel, each bounded by the cluster timeout: the slowest cluster sets the pace.
    const items = await Promise.all(
      clusters.list().map(async cluster => {
        const view = clusters.viewStats(cluster.name);
        return {
          ...(await describeCluster(cluster)),
          ...(view ? { view } : {}),
        };
      }),
    );
    res.json({ items });
  });

  router.get('/status', async (req, res) => {
    await authorizedCredentials(req);
    const query = parseInput(statusQuerySchema, req.query, 'query parameter');
    const items = await meshStatus.getStatus(
      selectClusters(query.cluster),
      selectAdapters(query.mesh),
      adapters.list(),
    );
    res.json({ items });
  });

  router.get('/entity/:kind/:namespace/:name/status', async (req, res) => {
    const { kind, namespace, name } = req.params;
    const { entity } = await entities.authorizedEntity(
      req,
      meshStatusReadPermission,
      { kind, namespace, name },
    );
    res.json(await entityStatus.getEntityStatus(entity, adapters.list()));
  });

  for (const feature of features) {
    router.use(feature);
  }

  return router;
}
