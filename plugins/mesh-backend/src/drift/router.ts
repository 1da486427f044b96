import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { meshOperationReadPermission } from '@meshstage/plugin-mesh-common';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import { createAuthorize, parseInput } from '../service/http';
import { requireAdapter, requireCluster } from '../service/lookups';
import type { ClusterClients } from '../cluster';
import type { DriftService } from './DriftService';
import { jsonBody } from '../service/jsonBody';

const name = z.string().min(1).max(253);

/**
 * Drift routes under `/api/mesh`: `GET /drift` (the stored reports, from the scheduled check or
 * the last on-demand one) and `POST /drift/check` (check now). Both only read the cluster and need
 * `mesh.operation.read`; restoring is the `reconcile` operation (`POST /operations`).
 */
export function createDriftRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  drift: DriftService;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
}): express.Router {
  const authorize = createAuthorize(options.httpAuth, options.permissions);
  const router = Router();
  router.use('/drift', jsonBody());

  router.get('/drift', async (req, res) => {
    await authorize(req, meshOperationReadPermission);
    const query = parseInput(
      z.object({ cluster: name.optional(), mesh: name.optional() }),
      req.query,
      'query parameter',
    );
    if (query.cluster) {
      requireCluster(
        options.clusters,
        query.cluster,
        "query parameter 'cluster'",
      );
    }
    if (query.mesh) {
      requireAdapter(options.adapters, query.mesh, "query parameter 'mesh'");
    }
    res.json({ items: await options.drift.list(query) });
  });

  router.post('/drift/check', async (req, res) => {
    await authorize(req, meshOperationReadPermission);
    const body = parseInput(
      z.object({ cluster: name, mesh: name }).strict(),
      req.body ?? {},
      'body field',
    );
    requireAdapter(options.adapters, body.mesh, "body field 'mesh'");
    res.json(await options.drift.check(body.cluster, body.mesh));
  });

  return router;
}
