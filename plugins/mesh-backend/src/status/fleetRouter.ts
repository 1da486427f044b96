import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  meshOperationReadPermission,
  meshStatusReadPermission,
  meshValidationReadPermission,
  type OperationState,
} from '@meshstage/plugin-mesh-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type express from 'express';
import Router from 'express-promise-router';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClients } from '../cluster';
import { DriftStore } from '../drift/DriftStore';
import { OperationStore } from '../lifecycle/OperationStore';
import { createAuthorize, parseInput } from '../service/http';
import { requireAdapter, requireCluster } from '../service/lookups';
import { ValidationStore } from '../validation/ValidationStore';
import { FleetService, type FleetSources } from './FleetService';
import { MeshStatusService } from './MeshStatusService';

const name = z.string().min(1).max(253);
const fleetQuerySchema = z
  .object({ cluster: name.optional(), mesh: name.optional() })
  .strict();

/** States the grid shows on a cell: in progress, or interrupted and waiting for the user. */
const OPEN_STATES: OperationState[] = [
  'planned',
  'running',
  'reverting',
  'interrupted',
];

/** What {@link createFleetRouter} needs. */
export interface FleetRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
  /** The plugin's migrated database: drift reports, validation scans, operations. */
  knex: Knex;
  /** Defaults to a service with the clusters' timeout. */
  fleet?: FleetService;
}

/**
 * `GET /fleet`: the platform page's grid in one call, every cluster (or `cluster`) by every
 * adapter (or `mesh`), read in parallel. Needs `mesh.status.read`; the stored drift reports and
 * operations are included when the caller may read operations (`mesh.operation.read`), the
 * latest validation scan's counts when they may read validation (`mesh.validation.read`).
 */
export function createFleetRouter(options: FleetRouterOptions): express.Router {
  const { httpAuth, permissions, adapters, clusters, knex } = options;
  const authorize = createAuthorize(httpAuth, permissions);
  const fleet =
    options.fleet ??
    new FleetService(new MeshStatusService(clusters.timeoutMs));
  const drift = new DriftStore(knex);
  // Read only: the scans kept per cluster matter only when recording, which this never does.
  const validation = new ValidationStore(knex, Number.MAX_SAFE_INTEGER);
  const operations = new OperationStore(knex);
  const router = Router();

  router.get('/fleet', async (req, res) => {
    const credentials = await authorize(req, meshStatusReadPermission);
    const query = parseInput(fleetQuerySchema, req.query, 'query parameter');
    const selectedClusters = query.cluster
      ? [requireCluster(clusters, query.cluster, "query parameter 'cluster'")]
      : clusters.list();
    const selectedAdapters = query.mesh
      ? [requireAdapter(adapters, query.mesh, "query parameter 'mesh'")]
      : adapters.list();

    const [readOperations, readValidation] = (
      await permissions.authorize(
        [
          { permission: meshOperationReadPermission },
          { permission: meshValidationReadPermission },
        ],
        { credentials },
      )
    ).map(d => d.result === AuthorizeResult.ALLOW);

    const sources: FleetSources = {};
    if (readOperations) {
      sources.driftReports = () => drift.list(query);
      sources.openOperations = async () =>
        (
          await Promise.all(
            OPEN_STATES.map(state =>
              operations.list({ ...query, state, limit: 500 }),
            ),
          )
        )
          .flat()
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    }
    if (readValidation) {
      sources.latestFindings = async cluster => {
        const scan = await validation.latestScan(cluster, 'succeeded');
        return scan
          ? {
              scanId: scan.id,
              finishedAt: scan.finishedAt,
              error: scan.summary.error,
              warning: scan.summary.warning,
              info: scan.summary.info,
            }
          : undefined;
      };
    }
    res.json(
      await fleet.summary(
        selectedClusters,
        selectedAdapters,
        sources,
        adapters.list(),
      ),
    );
  });

  return router;
}
