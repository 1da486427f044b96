import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  meshBenchmarkReadPermission,
  meshScopedPermissions,
} from '@meshstage/plugin-mesh-common';
import type express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { audited } from '../service/audited';
import { createAuthorize, MAX_LIST_LIMIT, parseInput } from '../service/http';
import type { BenchmarkService } from './BenchmarkService';
import type { BenchmarkStore } from './BenchmarkStore';
import { comparisonCaveats } from './caveats';
import { compareResults, throughputSpread } from './compare';
import { type BenchmarkLimits, checkProfileLimits } from './limits';
import {
  type ProfileSpec,
  profileInputSchema,
  storedProfileSpec,
} from './profileSchema';
import { EXPORT_FORMATS, exportResult, summarizeResult } from './resultView';
import { streamRunEvents } from './streamRunEvents';
import type { SecretBox } from './SecretBox';
import {
  maskRunSecrets,
  maskSecretHeaders,
  sealSecretHeaders,
} from './secretHeaders';
import { type BenchmarkRun, isFinalState } from './types';
import { jsonBody } from '../service/jsonBody';
import { principalRef } from '../service/principalRef';
import { createAuthorizeScoped } from '../service/authorizeScoped';

/** What {@link createBenchmarkRouter} needs. */
export interface BenchmarkRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  store: BenchmarkStore;
  service: BenchmarkService;
  limits: BenchmarkLimits;
  /** The configured clusters, which in-cluster profiles must name. */
  clusterNames?: () => string[];
  /** Seals the values of headers profiles mark secret (`mesh.benchmark.secretKey`). */
  secrets: SecretBox;
}

// Profile and run ids are UUIDs (BenchmarkStore), as operation and scan ids are: anything else
// is a 400 naming the parameter, an unknown UUID a 404.
const benchmarkId = z.string().uuid();
const idParam = z.object({ id: benchmarkId });
const runIdParam = z.object({ runId: benchmarkId });

const targetFields = {
  mesh: z.string().trim().min(1).max(64).optional(),
  meshVersion: z.string().trim().min(1).max(64).optional(),
  cluster: z.string().trim().min(1).max(255).optional(),
};

const runRequestSchema = z
  .object({
    profileId: benchmarkId.optional(),
    profile: profileInputSchema.optional(),
    ...targetFields,
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body.profileId === !body.profile) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: body.profileId ? ['profile'] : ['profileId'],
        message: 'Give either profileId or an inline profile',
      });
    }
  });

const runsQuerySchema = z.object({
  profileId: benchmarkId.optional(),
  entityRef: z.string().min(1).optional(),
  state: z
    .enum(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
    .optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
});

const profilesQuerySchema = z.object({
  entityRef: z.string().min(1).optional(),
});

const exportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('json'),
});

const compareQuerySchema = z.object({
  runs: z
    .string()
    .transform(s =>
      s
        .split(',')
        .map(x => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(benchmarkId)
        .min(
          2,
          'Give two to ten run ids, comma-separated (the first is the baseline)',
        )
        .max(
          10,
          'Give two to ten run ids, comma-separated (the first is the baseline)',
        ),
    ),
  relativeFloor: z.coerce.number().min(0).max(1).optional(),
});

/**
 * {@link parseInput} for schemas whose input differs from their output (defaults, transforms):
 * `parseInput` infers its type from the input side.
 */
function parse<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  where: Parameters<typeof parseInput>[2],
): z.output<S> {
  return parseInput(schema as z.ZodType<z.output<S>>, value, where);
}

/** Entity refs are stored in their canonical form (`component:default/productpage`). */
function canonicalEntityRef(ref: string, field: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (e) {
    throw new InputError(`Invalid ${field}: ${(e as Error).message}`);
  }
}

/**
 * The benchmark REST API under `/api/mesh/benchmark`: profiles, runs (with a Server-Sent Events
 * progress stream), results and their export, and comparisons.
 */
export function createBenchmarkRouter(
  options: BenchmarkRouterOptions,
): express.Router {
  const { auditor, catalog, store, service, limits, secrets } = options;
  const clusterNames = options.clusterNames ?? (() => []);
  const authorize = createAuthorize(options.httpAuth, options.permissions);
  // Writing profiles and running them: the platform permission, or the entity permission on the
  // profile's entity (both the old and the new one when a profile changes).
  const authorizeScoped = createAuthorizeScoped(
    options.httpAuth,
    options.permissions,
  );
  const { benchmarkProfileWrite, benchmarkRun } = meshScopedPermissions;
  const router = Router();
  // Scoped to this feature's paths, so other features keep their own body limits.
  router.use('/benchmark', jsonBody({ limit: '1mb' }));

  /** Canonical entity ref of a profile, checked against the catalog with the caller's rights. */
  async function checkEntity(
    spec: ProfileSpec,
    credentials: BackstageCredentials,
    field: string,
  ): Promise<ProfileSpec> {
    if (!spec.entityRef) return spec;
    const entityRef = canonicalEntityRef(
      spec.entityRef,
      `body field '${field}'`,
    );
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new InputError(
        `Invalid body field '${field}': no entity ${entityRef} in the catalog`,
      );
    }
    return { ...spec, entityRef };
  }

  async function requireRun(id: string): Promise<BenchmarkRun> {
    const run = await store.getRun(id);
    if (!run) throw new NotFoundError(`No benchmark run ${id}`);
    return run;
  }

  async function runView(run: BenchmarkRun) {
    const stored = await store.getResult(run.id);
    return {
      ...maskRunSecrets(run),
      ...(stored ? { result: summarizeResult(stored) } : {}),
    };
  }

  // Profiles

  router.get('/benchmark/profiles', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const q = parse(profilesQuerySchema, req.query, 'query parameter');
    const entityRef = q.entityRef
      ? canonicalEntityRef(q.entityRef, "query parameter 'entityRef'")
      : undefined;
    res.json({
      items: (await store.listProfiles({ entityRef })).map(maskSecretHeaders),
    });
  });

  router.get('/benchmark/profiles/:id', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const { id } = parse(idParam, req.params, 'path parameter');
    const profile = await store.getProfile(id);
    if (!profile) throw new NotFoundError(`No benchmark profile ${id}`);
    res.json(maskSecretHeaders(profile));
  });

  router.post('/benchmark/profiles', async (req, res) => {
    const access = await authorizeScoped(req, benchmarkProfileWrite);
    const { credentials } = access;
    const spec = await checkEntity(
      parse(profileInputSchema, req.body, 'body field'),
      credentials,
      'entityRef',
    );
    await access.forEntities([spec.entityRef]);
    checkProfileLimits(spec, limits, { clusters: clusterNames() });
    const profile = await audited(
      auditor,
      {
        eventId: 'mesh-benchmark-profile-create',
        request: req,
        severityLevel: 'low',
        meta: { name: spec.name, entityRef: spec.entityRef },
      },
      () =>
        store.createProfile(
          sealSecretHeaders(spec, secrets),
          principalRef(credentials),
        ),
      created => ({ profileId: created.id }),
    );
    res.status(201).json(maskSecretHeaders(profile));
  });

  router.put('/benchmark/profiles/:id', async (req, res) => {
    const access = await authorizeScoped(req, benchmarkProfileWrite);
    const { credentials } = access;
    const { id } = parse(idParam, req.params, 'path parameter');
    const spec = await checkEntity(
      parse(profileInputSchema, req.body, 'body field'),
      credentials,
      'entityRef',
    );
    // Moving a profile to another entity needs the right on both.
    const existing = await store.getProfile(id);
    await access.forEntities([existing?.entityRef, spec.entityRef]);
    checkProfileLimits(spec, limits, { clusters: clusterNames() });
    const profile = await audited(
      auditor,
      {
        eventId: 'mesh-benchmark-profile-update',
        request: req,
        severityLevel: 'low',
        meta: { profileId: id, name: spec.name },
      },
      async () => {
        if (!existing) throw new NotFoundError(`No benchmark profile ${id}`);
        // '***' for a secret header keeps the value stored before.
        const sealed = sealSecretHeaders(spec, secrets, {
          previous: storedProfileSpec(existing),
        });
        const updated = await store.updateProfile(id, sealed);
        if (!updated) throw new NotFoundError(`No benchmark profile ${id}`);
        return updated;
      },
    );
    res.json(maskSecretHeaders(profile));
  });

  router.delete('/benchmark/profiles/:id', async (req, res) => {
    const access = await authorizeScoped(req, benchmarkProfileWrite);
    const { id } = parse(idParam, req.params, 'path parameter');
    await access.forEntities([(await store.getProfile(id))?.entityRef]);
    await audited(
      auditor,
      {
        eventId: 'mesh-benchmark-profile-delete',
        request: req,
        severityLevel: 'medium',
        meta: { profileId: id },
      },
      async () => {
        if (!(await store.deleteProfile(id))) {
          throw new NotFoundError(`No benchmark profile ${id}`);
        }
      },
    );
    res.status(204).end();
  });

  // Runs

  router.post('/benchmark/runs', async (req, res) => {
    const access = await authorizeScoped(req, benchmarkRun);
    const { credentials } = access;
    const body = parse(runRequestSchema, req.body, 'body field');
    let spec: ProfileSpec;
    let profileId: string | undefined;
    if (body.profileId) {
      const stored = await store.getProfile(body.profileId);
      if (!stored) {
        throw new InputError(
          `Invalid body field 'profileId': no benchmark profile ${body.profileId}`,
        );
      }
      profileId = stored.id;
      spec = storedProfileSpec(stored);
      // Limits may have been lowered since the profile was saved.
      checkProfileLimits(spec, limits, {
        where: `field of profile ${stored.id}`,
        clusters: clusterNames(),
      });
    } else {
      spec = await checkEntity(body.profile!, credentials, 'profile.entityRef');
      checkProfileLimits(spec, limits, {
        prefix: 'profile.',
        clusters: clusterNames(),
      });
    }
    await access.forEntities([spec.entityRef]);
    const run = await audited(
      auditor,
      {
        eventId: 'mesh-benchmark-run',
        request: req,
        severityLevel: 'medium',
        meta: {
          action: 'start',
          profileId,
          profileName: spec.name,
          targets: spec.endpoints.map(e => e.url),
          rate: spec.rate,
          connections: spec.connections,
        },
      },
      () =>
        service.enqueue({
          profileId,
          entityRef: spec.entityRef,
          profile: spec,
          trigger: 'manual',
          createdBy: principalRef(credentials),
          mesh: body.mesh,
          meshVersion: body.meshVersion,
          cluster: body.cluster,
        }),
      queued => ({ runId: queued.id }),
    );
    res.status(202).json(maskRunSecrets(run));
  });

  router.get('/benchmark/runs', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const q = parse(runsQuerySchema, req.query, 'query parameter');
    const entityRef = q.entityRef
      ? canonicalEntityRef(q.entityRef, "query parameter 'entityRef'")
      : undefined;
    const runs = await store.listRuns({ ...q, entityRef });
    res.json({ items: await Promise.all(runs.map(runView)) });
  });

  router.get('/benchmark/runs/:id', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const { id } = parse(idParam, req.params, 'path parameter');
    res.json(await runView(await requireRun(id)));
  });

  router.post('/benchmark/runs/:id/cancel', async (req, res) => {
    const access = await authorizeScoped(req, benchmarkRun);
    const { id } = parse(idParam, req.params, 'path parameter');
    const before = await requireRun(id);
    await access.forEntities([before.entityRef]);
    const ev = await auditor.createEvent({
      eventId: 'mesh-benchmark-run',
      request: req,
      severityLevel: 'medium',
      meta: { action: 'cancel', runId: id, state: before.state },
    });
    if (isFinalState(before.state)) {
      await ev.success({ meta: { alreadyFinal: true } });
      res.json(await runView(before));
      return;
    }
    try {
      const run = await service.cancel(id);
      await ev.success({ meta: { state: run?.state } });
      // 202 when another instance still has to stop it (within about a second).
      res
        .status(run && isFinalState(run.state) ? 200 : 202)
        .json(await runView(run ?? before));
    } catch (error) {
      await ev.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/benchmark/runs/:id/events', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const { id } = parse(idParam, req.params, 'path parameter');
    await requireRun(id);

    await streamRunEvents({ id, req, res, service, store });
  });

  // Results

  router.get('/benchmark/results/:runId', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const { runId } = parse(runIdParam, req.params, 'path parameter');
    const run = await requireRun(runId);
    const stored = await store.getResult(runId);
    if (!stored)
      throw new NotFoundError(
        `Benchmark run ${runId} has no result (${run.state})`,
      );
    res.json({ run: maskRunSecrets(run), ...stored });
  });

  router.get('/benchmark/results/:runId/export', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const { runId } = parse(runIdParam, req.params, 'path parameter');
    const { format } = parse(exportQuerySchema, req.query, 'query parameter');
    const run = await requireRun(runId);
    const stored = await store.getResult(runId);
    if (!stored)
      throw new NotFoundError(
        `Benchmark run ${runId} has no result (${run.state})`,
      );
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="benchmark-${runId}.${format}.json"`,
    );
    res.json(exportResult(maskRunSecrets(run), stored, format));
  });

  router.get('/benchmark/compare', async (req, res) => {
    await authorize(req, meshBenchmarkReadPermission);
    const q = parse(compareQuerySchema, req.query, 'query parameter');
    const runs = [];
    for (const [i, runId] of q.runs.entries()) {
      const run = await store.getRun(runId);
      const stored = run && (await store.getResult(runId));
      if (!run || !stored) {
        throw new InputError(
          `Invalid query parameter 'runs.${i}': ${
            run
              ? `run ${runId} has no result (${run.state})`
              : `no benchmark run ${runId}`
          }`,
        );
      }
      runs.push({ run, stored });
    }
    res.json({
      baseline: runs[0].run.id,
      runs: runs.map(({ run, stored }) => ({
        id: run.id,
        profileName: run.profile.name,
        state: run.state,
        mesh: run.mesh,
        meshVersion: run.meshVersion,
        cluster: run.cluster,
        startTime: stored.result.startTime,
        durationMs: stored.result.durationMs,
        requests: stored.result.requests.total,
        requestedRps: stored.result.config.requestedRps,
        perSecondThroughput: throughputSpread(stored.result),
        environment: stored.environment,
      })),
      metrics: compareResults(
        runs.map(r => ({ runId: r.run.id, result: r.stored.result })),
        { relativeFloor: q.relativeFloor },
      ),
      caveats: comparisonCaveats(
        runs.map(({ run, stored }) => ({
          id: run.id,
          mesh: run.mesh,
          targets: run.profile.endpoints.map(e => e.url),
          environment: stored.environment,
        })),
      ),
    });
  });

  return router;
}
