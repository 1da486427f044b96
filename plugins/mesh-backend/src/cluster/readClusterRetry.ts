import type { Config } from '@backstage/config';
import { readPositiveDurationMs } from '../config/readPositiveDurationMs';
import { type ClusterRetryPolicy, DEFAULT_CLUSTER_RETRY } from './retryPolicy';

const MAX_ATTEMPTS = 20;

/**
 * `mesh.clusterRetry`: how requests to clusters are retried (see `retryPolicy.ts`), each key
 * defaulting to {@link DEFAULT_CLUSTER_RETRY}. Durations are Backstage durations (`250ms`,
 * `PT4S`, `{ seconds: 4 }`). A bad value is a startup error naming the key.
 */
export function readClusterRetry(config: Config): ClusterRetryPolicy {
  const key = 'mesh.clusterRetry';
  const d = DEFAULT_CLUSTER_RETRY;
  const attempts = config.getOptionalNumber(`${key}.attempts`) ?? d.attempts;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
    throw new Error(
      `${key}.attempts must be a whole number from 1 (no retries) to ${MAX_ATTEMPTS}`,
    );
  }
  const duration = (name: string, fallback: number) =>
    readPositiveDurationMs(config, `${key}.${name}`, fallback);
  const policy: ClusterRetryPolicy = {
    attempts,
    initialDelayMs: duration('initialDelay', d.initialDelayMs),
    maxDelayMs: duration('maxDelay', d.maxDelayMs),
    maxRetryAfterMs: duration('maxRetryAfter', d.maxRetryAfterMs),
    budgetMs: duration('budget', d.budgetMs),
  };
  if (policy.maxDelayMs < policy.initialDelayMs) {
    throw new Error(`${key}.maxDelay must not be shorter than initialDelay`);
  }
  return policy;
}
