import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  meshValidationReadPermission,
  meshValidationScanPermission,
} from '@meshstage/plugin-mesh-common';
import { parseSuppression, type Suppression } from '@meshstage/validation';
import type express from 'express';
import Router from 'express-promise-router';
import type { AdapterRegistry } from '../adapters/AdapterRegistry';
import type { ClusterClients } from '../cluster';
import { audited } from '../service/audited';
import { createAuthorize, parseInput } from '../service/http';
import type { EntityLookup } from '../service/EntityLookup';
import { requireAdapter, requireCluster } from '../service/lookups';
import type { ValidationConfig } from './config';
import type { EntityFindingsService } from './EntityFindingsService';
import { PayloadTooLargeError } from './PayloadTooLargeError';
import {
  findingsQuerySchema,
  scanBodySchema,
  scanIdSchema,
  scansQuerySchema,
  validateBodySchema,
} from './requestSchemas';
import type { ValidationService } from './ValidationService';
import type { ValidationStore } from './ValidationStore';
import { jsonBody } from '../service/jsonBody';

/** What {@link createValidationRouter} needs. */
export interface ValidationRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** The entities the entity routes are about, with the caller's read permission checked. */
  entities: EntityLookup;
  adapters: AdapterRegistry;
  clusters: ClusterClients;
  config: Pick<
    ValidationConfig,
    'maxFiles' | 'maxFileBytes' | 'maxRequestBytes'
  >;
  validation: ValidationService;
  store: ValidationStore;
  entityFindings: EntityFindingsService;
}

/**
 * Validation routes: `POST /validate`, scans (`/validation/scans`), the latest findings per
 * cluster (`/validation/findings`) and per entity (`/entity/:kind/:namespace/:name/findings`).
 */
export function createValidationRouter(
  options: ValidationRouterOptions,
): express.Router {
  const {
    auditor,
    entities,
    adapters,
    clusters,
    config,
    validation,
    store,
    entityFindings,
  } = options;
  const authorize = createAuthorize(options.httpAuth, options.permissions);
  const bodySchema = validateBodySchema(config.maxFiles);
  const json = jsonBody({ limit: config.maxRequestBytes });

  const router = Router();

  router.post('/validate', ...json, async (req, res) => {
    await authorize(req, meshValidationReadPermission);
    const body = parseInput(bodySchema, req.body, 'body field');
    const names = new Set<string>();
    body.files.forEach((f, i) => {
      if (names.has(f.name)) {
        throw new InputError(
          `Invalid body field 'files.${i}.name': '${f.name}' is given twice`,
        );
      }
      names.add(f.name);
      const bytes = Buffer.byteLength(f.content, 'utf8');
      if (bytes > config.maxFileBytes) {
        throw new PayloadTooLargeError(
          `File '${f.name}' (body field 'files.${i}.content') has ${bytes} bytes; the limit is ${config.maxFileBytes} (mesh.validation.maxFileBytes)`,
        );
      }
    });
    if (body.files.length === 0 && !body.cluster) {
      throw new InputError(
        "Invalid body field 'files': give at least one file, or a cluster",
      );
    }
    const cluster = body.cluster
      ? requireCluster(clusters, body.cluster, "body field 'cluster'", {
          live: true,
        })
      : undefined;
    const selected = body.meshes
      ? [...new Set(body.meshes)].map(id =>
          requireAdapter(adapters, id, "body field 'meshes'"),
        )
      : adapters.list();
    const suppressions: Suppression[] = (body.suppress ?? []).map(s =>
      typeof s === 'string' ? parseSuppression(s) : s,
    );
    res.json(
      await validation.validate({
        files: body.files.map(f => ({ file: f.name, text: f.content })),
        cluster,
        adapters: selected,
        suppressions,
      }),
    );
  });

  router.post('/validation/scans', ...json, async (req, res) => {
    await authorize(req, meshValidationScanPermission);
    const body = parseInput(scanBodySchema, req.body, 'body field');
    const cluster = requireCluster(
      clusters,
      body.cluster,
      "body field 'cluster'",
      { live: true },
    );
    const scan = await audited(
      auditor,
      {
        eventId: 'mesh-validation-scan',
        request: req,
        severityLevel: 'medium',
        meta: { cluster: cluster.name },
      },
      () => validation.scanCluster(cluster, adapters.list(), 'manual'),
      done => ({ scanId: done.id, status: done.status, ...done.summary }),
    );
    res.status(201).json(scan);
  });

  router.get('/validation/scans', async (req, res) => {
    await authorize(req, meshValidationReadPermission);
    const query = parseInput(scansQuerySchema, req.query, 'query parameter');
    if (query.cluster) {
      requireCluster(clusters, query.cluster, "query parameter 'cluster'");
    }
    res.json({ items: await store.listScans(query) });
  });

  router.get('/validation/scans/:id', async (req, res) => {
    await authorize(req, meshValidationReadPermission);
    const { id } = parseInput(scanIdSchema, req.params, 'path parameter');
    const scan = await store.getScan(id);
    if (!scan) throw new NotFoundError(`No validation scan ${id}`);
    res.json({
      scan,
      findings: await store.scanFindings(id),
      fixed: await store.fixedFindings(id),
    });
  });

  router.get('/validation/findings', async (req, res) => {
    await authorize(req, meshValidationReadPermission);
    const query = parseInput(findingsQuerySchema, req.query, 'query parameter');
    const names = query.cluster
      ? [
          requireCluster(clusters, query.cluster, "query parameter 'cluster'")
            .name,
        ]
      : clusters.names();
    const items = await Promise.all(
      names.map(async cluster => {
        const scan = (await store.latestScan(cluster, 'succeeded')) ?? null;
        const latest = await store.latestScan(cluster);
        return {
          cluster,
          // `null`: never scanned (or every scan failed): no findings is not "no problems".
          scan,
          findings: scan
            ? await store.scanFindings(scan.id, { severity: query.severity })
            : [],
          ...(latest?.status === 'failed' && {
            lastFailedScan: {
              id: latest.id,
              finishedAt: latest.finishedAt,
              error: latest.error,
            },
          }),
        };
      }),
    );
    res.json({ items });
  });

  router.get('/entity/:kind/:namespace/:name/findings', async (req, res) => {
    const { kind, namespace, name } = req.params;
    const { entity } = await entities.authorizedEntity(
      req,
      meshValidationReadPermission,
      { kind, namespace, name },
    );
    res.json(await entityFindings.getEntityFindings(entity));
  });

  // The JSON parser's own errors, in the plugin's words.
  router.use(
    (
      error: Error & { type?: string },
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error.type === 'entity.too.large') {
        next(
          new PayloadTooLargeError(
            `Request body over ${config.maxRequestBytes} bytes (mesh.validation.maxRequestBytes)`,
          ),
        );
      } else if (error.type === 'entity.parse.failed') {
        next(new InputError(`Invalid body: not JSON (${error.message})`));
      } else {
        next(error);
      }
    },
  );

  return router;
}
