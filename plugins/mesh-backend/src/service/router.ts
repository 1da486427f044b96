import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { meshStatusReadPermission } from '@meshstage/plugin-mesh-common';
import type { MeshAdapter } from '@meshstage/plugin-mesh-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import {
  type ClusterClient,
  type ClusterClients,
  describeCluster,
} from '../cluster';
import type { EntityStatusService, MeshStatusService } from '../status';

/** What {@link createRouter} needs. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
  meshStatus: MeshStatusService;
  entityStatus: EntityStatusService;
}

const statusQuerySchema = z.object({
  cluster: z.string().min(1).optional(),
  mesh: z.string().min(1).optional(),
});

function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid query parameter '${issue.path.join('.')}': ${issue.message}`,
    );
  }
  return parsed.data;
}

/** The mesh plugin's REST API, mounted at `/api/mesh`. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    catalog,
    adapters,
    clusters,
    meshStatus,
    entityStatus,
  } = options;

  /** Credentials of the caller (user or service) once allowed to read mesh status. */
  async function authorizedCredentials(
    req: express.Request,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: meshStatusReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read mesh status (permission ${meshStatusReadPermission.name})`,
      );
    }
    return credentials;
  }

  /** All clusters, or the one named; an unknown name is the caller's mistake. */
  function selectClusters(name: string | undefined): ClusterClient[] {
    if (!name) return clusters.list();
    const cluster = clusters.get(name);
    if (!cluster) {
      const known = clusters.names().join(', ') || '(none)';
      throw new InputError(
        `Unknown cluster '${name}' in query parameter 'cluster'; known clusters: ${known}`,
      );
    }
    return [cluster];
  }

  /** All adapters, or the one named; an unknown id is the caller's mistake. */
  function selectAdapters(id: string | undefined): MeshAdapter[] {
    if (!id) return adapters.list();
    const adapter = adapters.get(id);
    if (!adapter) {
      const known = adapters.ids().join(', ') || '(none)';
      throw new InputError(
        `Unknown mesh '${id}' in query parameter 'mesh'; known meshes: ${known}`,
      );
    }
    return [adapter];
  }

  const router = Router();

  // Unauthenticated (see the auth policy in plugin.ts): probes must not need a token.
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/adapters', async (req, res) => {
    await authorizedCredentials(req);
    res.json({ items: adapters.info() });
  });

  router.get('/clusters', async (req, res) => {
    await authorizedCredentials(req);
    // In parallel, each bounded by the cluster timeout: the slowest cluster sets the pace.
    const items = await Promise.all(clusters.list().map(describeCluster));
    res.json({ items });
  });

  router.get('/status', async (req, res) => {
    await authorizedCredentials(req);
    const query = parseQuery(statusQuerySchema, req.query);
    const items = await meshStatus.getStatus(
      selectClusters(query.cluster),
      selectAdapters(query.mesh),
    );
    res.json({ items });
  });

  router.get('/entity/:kind/:namespace/:name/status', async (req, res) => {
    const credentials = await authorizedCredentials(req);
    const { kind, namespace, name } = req.params;
    const entity = await catalog.getEntityByRef(
      { kind, namespace, name },
      { credentials },
    );
    if (!entity) {
      throw new NotFoundError(
        `No entity ${kind.toLocaleLowerCase(
          'en-US',
        )}:${namespace}/${name} in the catalog`,
      );
    }
    res.json(await entityStatus.getEntityStatus(entity, adapters.list()));
  });

  return router;
}
