import type { Config } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';
import { InputError } from '@backstage/errors';
import {
  forbiddenAddressReason,
  parseDuration,
} from '@meshstage/loadgen/model';
import {
  DEFAULT_ALLOWED_HOSTS,
  isHostAllowed,
  targetHost,
} from './hostAllowList';
import { type ProfileSpec, profileDurationMs } from './profileSchema';

/** What an operator allows benchmarks to do (`mesh.benchmark.*`). */
export interface BenchmarkLimits {
  /** Highest constant rate, requests/s. Max-throughput runs (rate 0) are bounded by connections. */
  maxRate: number;
  /** Longest measured duration (and wall-clock bound of request-count runs), ms. */
  maxDurationMs: number;
  maxConnections: number;
  maxThreads: number;
  /** Most load-generator pods of an in-cluster run. */
  maxPods: number;
  /** Host patterns targets must match (see hostAllowList.ts). */
  allowedHosts: string[];
}

/** Benchmark settings from config, with zero-config defaults. */
export interface BenchmarkConfig {
  limits: BenchmarkLimits;
  /** Runs executing at once in one backend instance. */
  concurrency: number;
}

/** Defaults: enough for a meaningful run, small enough not to flatten a shared cluster. */
export const DEFAULT_BENCHMARK_LIMITS: Omit<BenchmarkLimits, 'allowedHosts'> = {
  maxRate: 10_000,
  maxDurationMs: 10 * 60_000,
  maxConnections: 256,
  maxThreads: 4,
  maxPods: 10,
};

function readPositive(config: Config, key: string, fallback: number) {
  const v = config.getOptionalNumber(key);
  if (v === undefined) return fallback;
  if (!(v > 0)) throw new Error(`${key} must be a positive number`);
  return v;
}

/** Reads `mesh.benchmark` from the root config. */
export function readBenchmarkConfig(config: Config): BenchmarkConfig {
  const k = 'mesh.benchmark';
  return {
    concurrency: Math.floor(readPositive(config, `${k}.concurrency`, 1)),
    limits: {
      maxRate: readPositive(
        config,
        `${k}.maxRate`,
        DEFAULT_BENCHMARK_LIMITS.maxRate,
      ),
      maxDurationMs: readPositiveDurationMs(
        config,
        `${k}.maxDuration`,
        DEFAULT_BENCHMARK_LIMITS.maxDurationMs,
      ),
      maxConnections: readPositive(
        config,
        `${k}.maxConnections`,
        DEFAULT_BENCHMARK_LIMITS.maxConnections,
      ),
      maxThreads: readPositive(
        config,
        `${k}.maxThreads`,
        DEFAULT_BENCHMARK_LIMITS.maxThreads,
      ),
      maxPods: readPositive(
        config,
        `${k}.maxPods`,
        DEFAULT_BENCHMARK_LIMITS.maxPods,
      ),
      allowedHosts: config.getOptionalStringArray(`${k}.allowedHosts`) ?? [
        ...DEFAULT_ALLOWED_HOSTS,
      ],
    },
  };
}

/**
 * Checks a profile against the operator's limits; the first violation is a 400 naming the field.
 * `prefix` is where the profile sits in the request body (`profile.` for inline runs,
 * `gate.profile.` for a canary gate's): such an inline profile is stored as part of its run or
 * operation, so it may not mark headers secret (only saved profiles keep them sealed). `where`
 * says what the field belongs to (default `body field`).
 */
export function checkProfileLimits(
  p: ProfileSpec,
  limits: BenchmarkLimits,
  options: {
    prefix?: string;
    where?: string;
    /** The configured clusters, which in-cluster runs must name. */
    clusters?: string[];
  } = {},
): void {
  const { prefix = '', where = 'body field', clusters = [] } = options;
  function reject(field: string, message: string): never {
    throw new InputError(`Invalid ${where} '${field}': ${message}`);
  }
  if (p.rate > limits.maxRate) {
    reject(
      `${prefix}rate`,
      `${p.rate} req/s is above mesh.benchmark.maxRate (${limits.maxRate})`,
    );
  }
  const durationMs = profileDurationMs(p);
  if (durationMs !== undefined && durationMs > limits.maxDurationMs) {
    reject(
      `${prefix}duration`,
      `${p.duration} is above mesh.benchmark.maxDuration (${
        limits.maxDurationMs / 1000
      }s)`,
    );
  }
  if (p.warmup && parseDuration(p.warmup) > limits.maxDurationMs) {
    reject(
      `${prefix}warmup`,
      `${p.warmup} is above mesh.benchmark.maxDuration (${
        limits.maxDurationMs / 1000
      }s)`,
    );
  }
  if (p.connections > limits.maxConnections) {
    reject(
      `${prefix}connections`,
      `${p.connections} is above mesh.benchmark.maxConnections (${limits.maxConnections})`,
    );
  }
  if (p.threads > limits.maxThreads) {
    reject(
      `${prefix}threads`,
      `${p.threads} is above mesh.benchmark.maxThreads (${limits.maxThreads})`,
    );
  }
  for (const [i, e] of p.endpoints.entries()) {
    if (!e.secretHeaders?.length) continue;
    if (options.prefix !== undefined) {
      reject(
        `${prefix}endpoints.${i}.secretHeaders`,
        'secret headers are kept in saved profiles only: save the profile, then run it by its id',
      );
    }
    if (p.inCluster) {
      // Pod arguments are readable by anyone who can read the Job.
      reject(
        `${prefix}endpoints.${i}.secretHeaders`,
        'in-cluster runs cannot send secret headers yet (they would be readable in the Job)',
      );
    }
  }
  if (p.inCluster) {
    if (!clusters.includes(p.inCluster.cluster)) {
      reject(
        `${prefix}inCluster.cluster`,
        `unknown cluster '${p.inCluster.cluster}'; known clusters: ${
          clusters.join(', ') || '(none)'
        }`,
      );
    }
    if (p.inCluster.pods > limits.maxPods) {
      reject(
        `${prefix}inCluster.pods`,
        `${p.inCluster.pods} is above mesh.benchmark.maxPods (${limits.maxPods})`,
      );
    }
    // meshperf's command line has one method, header set and body for all its URLs.
    const same = (e: ProfileSpec['endpoints'][number]) =>
      JSON.stringify([(e.method ?? '').toUpperCase(), e.headers ?? {}, e.body]);
    const first = same(p.endpoints[0]);
    for (const [i, e] of p.endpoints.entries()) {
      if (same(e) !== first) {
        reject(
          `${prefix}endpoints.${i}`,
          'in-cluster runs need the same method, headers and body on every endpoint',
        );
      }
    }
  }
  for (const [i, e] of p.endpoints.entries()) {
    const field = `${prefix}endpoints.${i}.url`;
    const host = targetHost(e.url);
    if (!host) reject(field, `'${e.url}' is not a URL`);
    if (p.protocol !== 'grpc' && !/^https?:\/\//i.test(e.url)) {
      reject(field, `'${e.url}' must be an http:// or https:// URL`);
    }
    const forbidden = host ? forbiddenAddressReason(host) : undefined;
    if (forbidden) {
      // Whatever the allow-list says: the way to the machine's credentials.
      reject(
        field,
        `host '${host}' is ${forbidden}: benchmarks never target link-local or cloud metadata addresses`,
      );
    }
    if (!isHostAllowed(host, limits.allowedHosts)) {
      reject(
        field,
        `host '${host}' is not in mesh.benchmark.allowedHosts (${limits.allowedHosts.join(
          ', ',
        )})`,
      );
    }
  }
}
