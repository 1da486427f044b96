import { headerProblem, parseDuration } from '@meshstage/loadgen/model';
import { CronTime } from 'cron';
import type {
  BenchmarkProfile,
  BenchmarkProfileSpec,
} from '@meshstage/plugin-mesh-common';
import { z } from 'zod';

/** Whether a text is a duration loadgen accepts (`10s`, `500ms`, `1m30s`). */
function isDuration(text: string): boolean {
  try {
    return parseDuration(text) >= 0;
  } catch {
    return false;
  }
}

/** Whether a text is a cron expression the `cron` package (Backstage's scheduler) accepts. */
export function isCronExpression(text: string): boolean {
  try {
    // Constructing parses every field; computing a date catches ranges that never match.
    new CronTime(text).getNextDateFrom(new Date());
    return true;
  } catch {
    return false;
  }
}

const duration = z
  .string()
  .trim()
  .refine(isDuration, 'Expected a duration such as 10s, 500ms or 1m30s');

const endpointSchema = z
  .object({
    url: z.string().trim().min(1),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'Expected an HTTP method such as GET')
      .optional(),
    headers: z
      .record(z.string())
      .superRefine((headers, ctx) => {
        for (const [name, value] of Object.entries(headers)) {
          const why = headerProblem(name, value);
          if (why) ctx.addIssue({ code: 'custom', path: [name], message: why });
        }
      })
      .optional(),
    body: z.string().optional(),
    weight: z.number().nonnegative().optional(),
    /**
     * Names of `headers` whose values are secret (credentials): stored sealed, shown as `***`,
     * sent only to the target.
     */
    secretHeaders: z.array(z.string().min(1).max(256)).max(20).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const names = new Set(
      Object.keys(e.headers ?? {}).map(n => n.toLowerCase()),
    );
    (e.secretHeaders ?? []).forEach((name, i) => {
      if (!names.has(name.toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: ['secretHeaders', i],
          message: `'${name}' is not one of the endpoint's headers`,
        });
      }
    });
  });

/**
 * A performance profile as clients send it. The fields follow Service Mesh Performance's
 * `PerformanceProfile` (endpoints, protocol, connections, rate, duration, load generator), with
 * durations as Go-style strings like SMP's; `rate` 0 or absent means max throughput.
 */
export const profileInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    endpoints: z.array(endpointSchema).min(1).max(20),
    protocol: z.enum(['http1', 'http2', 'grpc']).default('http1'),
    /**
     * loadgen's HTTP engine: `undici` (default; TLS, HTTP/2) or `net`, the lean HTTP/1.1 engine
     * for plain `http://` targets that keeps up with wrk.
     */
    engine: z.enum(['undici', 'net']).default('undici'),
    connections: z.number().int().min(1).default(4),
    rate: z.number().nonnegative().default(0),
    duration: duration.optional(),
    requestCount: z.number().int().min(1).optional(),
    warmup: duration.optional(),
    timeout: duration.optional(),
    threads: z.number().int().min(1).default(1),
    /** Uniform send-time jitter as a fraction of a connection's interval (rate mode), 0..0.5. */
    jitter: z.number().min(0).max(0.5).default(0),
    loadGenerator: z.literal('meshstage').default('meshstage'),
    entityRef: z.string().trim().min(1).optional(),
    schedule: z
      .string()
      .trim()
      .refine(
        isCronExpression,
        'Expected a cron expression such as */30 * * * *',
      )
      .optional(),
    /**
     * Run as a Kubernetes Job of `pods` load-generator pods (image `meshstage/loadgen`) in a
     * configured cluster instead of in the backend process; connections, rate and request count
     * are totals, split evenly among the pods.
     */
    inCluster: z
      .object({
        cluster: z.string().trim().min(1),
        namespace: z
          .string()
          .regex(
            /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
            'Expected a Kubernetes namespace name',
          )
          .default('default'),
        pods: z.number().int().min(1).default(1),
      })
      .strict()
      .optional(),
    thresholds: z
      .object({
        maxP99: duration.optional(),
        maxErrorRate: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.duration !== undefined && p.requestCount !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['requestCount'],
        message: 'Give either duration or requestCount, not both',
      });
    }
    if (p.engine === 'net') {
      if (p.protocol !== 'http1') {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['engine'],
          message: `The net engine speaks HTTP/1.1 only, not ${p.protocol}`,
        });
      }
      p.endpoints.forEach((e, i) => {
        if (!e.url.startsWith('http://')) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['endpoints', i, 'url'],
            message:
              'The net engine speaks plain http:// only; use engine undici for https://',
          });
        }
      });
    }
    if (p.endpoints.every(e => (e.weight ?? 1) === 0)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['endpoints', 0, 'weight'],
        message: 'At least one endpoint needs a weight above zero',
      });
    }
  });

/**
 * A validated profile (defaults applied), as stored and as run: mesh-common's
 * `BenchmarkProfileSpec`, which the schema's output must equal (checked below).
 */
export type ProfileSpec = BenchmarkProfileSpec;

/** A stored profile. */
export type { BenchmarkProfile } from '@meshstage/plugin-mesh-common';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemaOutputIsProfileSpec: Same<
  z.output<typeof profileInputSchema>,
  BenchmarkProfileSpec
> = true;
void schemaOutputIsProfileSpec;

/** A stored profile's spec: what runs, without its id, authorship and schedule bookkeeping. */
export function storedProfileSpec(p: BenchmarkProfile): ProfileSpec {
  const { id, createdBy, createdAt, updatedAt, lastScheduledAt, ...spec } = p;
  return spec;
}

/** The measured duration of a profile in ms, or undefined for a request-count run. */
export function profileDurationMs(p: ProfileSpec): number | undefined {
  if (p.requestCount !== undefined) return undefined;
  return parseDuration(p.duration ?? '10s');
}
