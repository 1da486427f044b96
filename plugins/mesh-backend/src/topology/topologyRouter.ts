import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  type CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { meshStatusReadPermission } from '@meshstage/plugin-mesh-common';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClient, ClusterClients } from '../cluster';
import { createAuthorize, parseInput } from '../service/http';
import { requireCluster } from '../service/lookups';
import { entityWorkloads } from '../status/entityWorkloads';
import {
  DEFAULT_DEPTH,
  DEFAULT_NODE_LIMIT,
  MAX_DEPTH,
  MAX_NODE_LIMIT,
} from './buildTopology';
import {
  refKey,
  TOPOLOGY_ENTITY_FIELDS,
  TOPOLOGY_ENTITY_FILTER,
  type TopologyEntity,
  topologyEntities,
  topologyEntity,
} from './entities';
import { TopologyService } from './TopologyService';
import { isPrometheusDuration } from './traffic/promql';
import type { TrafficSource } from './traffic/types';

const name = z.string().min(1).max(253);

/** `GET /topology` query parameters. */
export const topologyQuerySchema = z
  .object({
    entity: z.string().min(1).max(1024).optional(),
    cluster: name.optional(),
    namespace: name.optional(),
    depth: z.coerce.number().int().min(0).max(MAX_DEPTH).optional(),
    window: z
      .string()
      .max(32)
      .refine(isPrometheusDuration, 'Expected a Prometheus duration such as 5m')
      .optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_NODE_LIMIT)
      .default(DEFAULT_NODE_LIMIT),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.entity === undefined && q.cluster === undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['entity'],
        message: "Give 'entity' (kind:namespace/name) or 'cluster'",
      });
    } else if (q.entity !== undefined && q.cluster !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['cluster'],
        message: "Give 'entity' or 'cluster', not both",
      });
    } else if (q.entity !== undefined && q.namespace !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['namespace'],
        message: "Only with 'cluster'",
      });
    } else if (q.cluster !== undefined && q.depth !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['depth'],
        message: "Only with 'entity'",
      });
    }
  });

/** What {@link createTopologyRouter} needs. */
export interface TopologyRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
  /** Traffic figures for the edges; configuration edges only without one. */
  trafficSource?: TrafficSource;
}

/**
 * `GET /topology`: the graph of an entity's neighbourhood (`entity`, `depth`) or of a cluster
 * (`cluster`, `namespace`), from the clusters' routing configuration, the catalog's `dependsOn`
 * relations and, with a traffic source, observed traffic over `window`. Needs `mesh.status.read`;
 * catalog entities are read with the caller's credentials.
 */
export function createTopologyRouter(
  options: TopologyRouterOptions,
): express.Router {
  const { httpAuth, permissions, catalog, adapters, clusters } = options;
  const authorize = createAuthorize(httpAuth, permissions);
  const service = new TopologyService(
    clusters.timeoutMs,
    options.trafficSource,
  );
  const router = Router();

  router.get('/topology', async (req, res) => {
    const credentials = await authorize(req, meshStatusReadPermission);
    const query = parseInput(topologyQuerySchema, req.query, 'query parameter');

    const readEntities = async () =>
      topologyEntities(
        (
          await catalog.getEntities(
            {
              filter: TOPOLOGY_ENTITY_FILTER as any,
              fields: TOPOLOGY_ENTITY_FIELDS,
            },
            { credentials },
          )
        ).items,
      );

    if (query.entity !== undefined) {
      let ref: CompoundEntityRef;
      try {
        ref = parseEntityRef(query.entity);
      } catch (error) {
        throw new InputError(
          `Invalid query parameter 'entity': ${(error as Error).message}`,
        );
      }
      const entityRef = stringifyEntityRef(ref);
      const entity = await catalog.getEntityByRef(ref, { credentials });
      if (!entity) {
        throw new NotFoundError(`No entity ${entityRef} in the catalog`);
      }
      // A 400 naming the annotation for an entity that is not tied to workloads.
      const workloads = entityWorkloads(entity);
      let focus: TopologyEntity;
      try {
        focus = topologyEntity(entity)!;
      } catch (error) {
        throw new InputError(
          `Entity ${entityRef} has an invalid label selector '${
            workloads.labelSelector
          }': ${(error as Error).message}`,
        );
      }
      const entities = [
        focus,
        ...(await readEntities()).filter(
          e => refKey(e.entityRef) !== refKey(focus.entityRef),
        ),
      ];
      const targets: Array<ClusterClient | string> = focus.cluster
        ? [clusters.get(focus.cluster) ?? focus.cluster]
        : clusters.list();
      res.json(
        await service.graph({
          scope: {
            type: 'entity',
            entityRef: focus.entityRef,
            depth: query.depth ?? DEFAULT_DEPTH,
          },
          clusters: targets,
          adapters: adapters.list(),
          entities,
          window: query.window,
          limit: query.limit,
        }),
      );
      return;
    }

    const cluster = requireCluster(
      clusters,
      query.cluster!,
      "query parameter 'cluster'",
    );
    res.json(
      await service.graph({
        scope: {
          type: 'cluster',
          cluster: cluster.name,
          namespace: query.namespace,
        },
        clusters: [cluster],
        adapters: adapters.list(),
        entities: await readEntities(),
        window: query.window,
        limit: query.limit,
      }),
    );
  });

  return router;
}
