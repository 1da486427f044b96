import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type {
  BenchmarkProfileInput,
  BenchmarkProfileSpec,
} from '@meshstage/plugin-mesh-common';
import { waitForBenchmarkRun } from '../api/waitForBenchmarkRun';
import { brokenThresholds } from '../lib/benchmarkThresholds';
import { comparisonText } from '../lib/comparisonText';
import { findProfile } from '../lib/findProfile';
import { checkInlineSettings } from '../lib/inlineSettings';
import { examples } from './benchmark.examples';
import {
  DEFAULT_TIMEOUT_SECONDS,
  type MeshActionOptions,
  meshClientFor,
} from './options';

/** What a dry run says it would run. */
function describeProfile(p: BenchmarkProfileInput | BenchmarkProfileSpec) {
  const load =
    p.requestCount !== undefined
      ? `${p.requestCount} requests`
      : `for ${p.duration ?? '10s'}`;
  const where = p.inCluster
    ? `in cluster ${p.inCluster.cluster} (namespace ${
        p.inCluster.namespace ?? 'default'
      })`
    : 'from the backend process';
  return `'${p.name}': ${p.endpoints.map(e => e.url).join(', ')}, ${
    p.connections ?? 4
  } connection(s), ${
    p.rate ? `${p.rate} req/s` : 'max rate'
  }, ${load}, ${where}`;
}

/**
 * `mesh:benchmark`: runs a stored performance profile (by id or name) or inline settings through
 * the mesh backend's `POST /benchmark/runs` as the user who runs the template, waits for the run,
 * outputs its id and key percentiles (and, with `compareWith`, a comparison with an earlier run),
 * and fails the step on a broken threshold: its own `maxP99Ms` / `maxErrorRate` and the
 * profile's. Dry run: the settings are checked and nothing runs.
 * @public
 */
export function createMeshBenchmarkAction(options: MeshActionOptions) {
  return createTemplateAction({
    id: 'mesh:benchmark',
    description:
      "Runs a MeshStage benchmark (a stored performance profile or inline settings), waits for it, outputs the run's percentiles and fails the step when a threshold on p99 latency or error rate is broken.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        profile: z =>
          z
            .string({
              description:
                'Id or name of a stored performance profile (Performance tab). Give this or settings.',
            })
            .min(1)
            .optional(),
        settings: z =>
          z
            .object(
              {
                name: z.string().min(1).optional(),
                description: z.string().optional(),
                endpoints: z
                  .array(
                    z.object({
                      url: z.string().min(1),
                      method: z.string().optional(),
                      headers: z.record(z.string()).optional(),
                      body: z.string().optional(),
                      weight: z.number().nonnegative().optional(),
                    }),
                  )
                  .min(1),
                protocol: z.enum(['http1', 'http2', 'grpc']).optional(),
                engine: z.enum(['undici', 'net']).optional(),
                connections: z.number().int().min(1).optional(),
                rate: z.number().nonnegative().optional(),
                duration: z.string().optional(),
                requestCount: z.number().int().min(1).optional(),
                warmup: z.string().optional(),
                timeout: z.string().optional(),
                threads: z.number().int().min(1).optional(),
                entityRef: z.string().optional(),
                inCluster: z
                  .object({
                    cluster: z.string().min(1),
                    namespace: z.string().optional(),
                    pods: z.number().int().min(1).optional(),
                  })
                  .optional(),
                thresholds: z
                  .object({
                    maxP99: z.string().optional(),
                    maxErrorRate: z.number().min(0).max(1).optional(),
                  })
                  .optional(),
              },
              {
                description:
                  'An inline performance profile, as POST /api/mesh/benchmark/profiles takes it (durations such as 10s). Give this or profile.',
              },
            )
            .optional(),
        mesh: z =>
          z
            .string({
              description:
                'The mesh under test, recorded with the run (e.g. istio)',
            })
            .min(1)
            .optional(),
        meshVersion: z =>
          z
            .string({ description: 'The mesh version under test' })
            .min(1)
            .optional(),
        cluster: z =>
          z.string({ description: 'The cluster under test' }).min(1).optional(),
        maxP99Ms: z =>
          z
            .number({
              description:
                'Fail the step when p99 latency is above this many milliseconds',
            })
            .positive()
            .optional(),
        maxErrorRate: z =>
          z
            .number({
              description:
                'Fail the step when the share of failed requests is above this (0..1, 0.01 is 1%)',
            })
            .min(0)
            .max(1)
            .optional(),
        compareWith: z =>
          z
            .string({
              description:
                'A finished run to compare this one with (the baseline), e.g. the runId of an earlier step',
            })
            .min(1)
            .optional(),
        timeoutSeconds: z =>
          z
            .number({
              description: `Cancel the run and fail after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
            })
            .int()
            .min(1)
            .max(86400)
            .optional(),
      },
      output: {
        runId: z =>
          z.string({ description: 'The run (absent on dry run)' }).optional(),
        profileId: z =>
          z
            .string({ description: 'The stored profile it ran, if any' })
            .optional(),
        state: z =>
          z.string({
            description: "The run's final state, or dry-run",
          }),
        requests: z => z.number({ description: 'Requests sent' }).optional(),
        requestsPerSecond: z => z.number().optional(),
        errorRate: z =>
          z
            .number({ description: 'Share of failed requests, 0..1' })
            .optional(),
        latencyMs: z =>
          z
            .object(
              {
                p50: z.number(),
                p90: z.number(),
                p99: z.number(),
                p999: z.number(),
                max: z.number(),
              },
              { description: 'Latency percentiles in milliseconds' },
            )
            .optional(),
        simulatedProxies: z =>
          z
            .boolean({
              description:
                'True when the cluster only simulates mesh proxies (the dev cluster): differences are not mesh overhead',
            })
            .optional(),
        comparison: z =>
          z
            .string({
              description:
                'With compareWith: the comparison as a Markdown table (metric, before, after, difference, verdict)',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const client = meshClientFor(options, ctx);
      const { input } = ctx;
      if (!input.profile === !input.settings) {
        throw new InputError(
          "Give either 'profile' (a stored profile's id or name) or inline 'settings'",
        );
      }
      const target = {
        mesh: input.mesh,
        meshVersion: input.meshVersion,
        cluster: input.cluster,
      };
      let body;
      let described: string;
      if (input.profile) {
        const stored = findProfile(await client.listProfiles(), input.profile);
        ctx.output('profileId', stored.id);
        body = { profileId: stored.id, ...target };
        described = describeProfile(stored);
      } else {
        const profile = checkInlineSettings(input.settings!);
        body = { profile, ...target };
        described = describeProfile(profile);
      }
      const limits = [
        input.maxP99Ms !== undefined ? `p99 ≤ ${input.maxP99Ms} ms` : '',
        input.maxErrorRate !== undefined
          ? `error rate ≤ ${input.maxErrorRate * 100}%`
          : '',
      ].filter(Boolean);
      ctx.logger.info(
        `Benchmark ${described}${
          limits.length ? `; limits: ${limits.join(', ')}` : ''
        }`,
      );

      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: the settings are valid; nothing was run');
        ctx.output('state', 'dry-run');
        return;
      }

      const queued = await ctx.checkpoint({
        key: `mesh-benchmark-${input.profile ?? 'inline'}`,
        fn: async () => ({ id: (await client.startRun(body)).id }),
      });
      ctx.output('runId', queued.id);
      ctx.logger.info(`Queued benchmark run ${queued.id}`);

      const run = await waitForBenchmarkRun(client, queued.id, {
        logger: ctx.logger,
        timeoutMs: (input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
        pollIntervalMs: options.pollIntervalMs ?? 1000,
        signal: ctx.signal,
      });
      ctx.output('state', run.state);
      const result = run.result;
      if (run.state !== 'succeeded' || !result) {
        throw new Error(
          `Benchmark run ${run.id} ${run.state}${
            run.error ? `: ${run.error}` : ''
          }`,
        );
      }
      const { latencyMs, requests } = result;
      ctx.output('requests', requests.total);
      ctx.output('requestsPerSecond', requests.perSecond);
      ctx.output('errorRate', requests.errorRate);
      ctx.output('latencyMs', {
        p50: latencyMs.p50,
        p90: latencyMs.p90,
        p99: latencyMs.p99,
        p999: latencyMs.p999,
        max: latencyMs.max,
      });
      ctx.output(
        'simulatedProxies',
        Boolean(result.environment.simulatedProxies),
      );
      ctx.logger.info(
        `Run ${run.id}: ${
          requests.total
        } requests, ${requests.perSecond.toFixed(1)} req/s, ${
          requests.failed
        } failed; p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms, max ${
          latencyMs.max
        } ms`,
      );
      if (result.environment.simulatedProxies) {
        ctx.logger.warn(result.environment.simulatedProxies.reason);
      }

      if (input.compareWith) {
        const comparison = await client.compareRuns([
          input.compareWith,
          run.id,
        ]);
        const text = comparisonText(comparison);
        ctx.output('comparison', text);
        ctx.logger.info(`Compared with run ${input.compareWith}:\n${text}`);
      }

      const broken = brokenThresholds(result, {
        maxP99Ms: input.maxP99Ms,
        maxErrorRate: input.maxErrorRate,
      });
      if (broken.length) {
        throw new Error(
          `Benchmark run ${run.id} broke ${
            broken.length === 1 ? 'a threshold' : 'thresholds'
          }: ${broken.join('; ')}`,
        );
      }
    },
  });
}
