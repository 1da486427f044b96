import { describeFailure } from './describeFailure';
import type { KubeRequest, KubeResponse } from './kubeRequest';
import { reportRetried } from './retryReport';
import {
  type ClusterRetryPolicy,
  decideRetry,
  failureOfError,
  isTransient,
  type RequestFailure,
} from './retryPolicy';

/** The clock, the waiting and the randomness of {@link withRetries}; tests pass their own. */
export interface RetryEnvironment {
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

const REAL_ENVIRONMENT: RetryEnvironment = {
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
  now: Date.now,
  random: Math.random,
};

/** The error of the last attempt, saying how many there were. */
function afterAttempts(error: unknown, attempts: number): unknown {
  if (attempts === 1 || !(error instanceof Error)) return error;
  const wrapped = new Error(`${error.message} (after ${attempts} attempts)`, {
    cause: error,
  });
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) Object.assign(wrapped, { code });
  return wrapped;
}

/**
 * Wraps a single-attempt request so that transient failures are tried again as
 * {@link decideRetry} says: 429 (after its `Retry-After`), 500/502/503/504, refused, reset or
 * cut connections and timeouts, for requests that may be repeated (`options.safety`; POST
 * defaults to `once`, everything else to `idempotent`). Resolves with the last answer (its
 * `attempts` set), or rejects with the last connection error ("(after N attempts)" added). A
 * request that took more than one attempt is reported (`retryReport.ts`) with how each failed.
 */
export function withRetries(
  send: KubeRequest,
  policy: ClusterRetryPolicy,
  env: RetryEnvironment = REAL_ENVIRONMENT,
): KubeRequest {
  return async (method, path, options = {}) => {
    const safety =
      options.safety ?? (method === 'POST' ? 'once' : 'idempotent');
    const started = env.now();
    const failures: string[] = [];
    const done = (attempts: number, answered: boolean) => {
      if (attempts > 1) {
        const apply = options.contentType === 'application/apply-patch+yaml';
        reportRetried({
          request: `${apply ? 'apply' : method} ${path}`,
          attempts,
          failures,
          answered,
        });
      }
    };
    for (let attempt = 1; ; attempt++) {
      let failure: RequestFailure;
      let response: KubeResponse | undefined;
      let error: unknown;
      try {
        response = await send(method, path, options);
        failure = {
          kind: 'status',
          status: response.status,
          retryAfter: response.headers?.['retry-after'],
        };
        if (
          (response.status >= 200 && response.status < 300) ||
          !isTransient(failure)
        ) {
          done(attempt, true);
          return { ...response, attempts: attempt };
        }
      } catch (e) {
        const failed = failureOfError(e);
        if (!failed) {
          done(attempt, false);
          throw afterAttempts(e, attempt);
        }
        failure = failed;
        error = e;
      }
      failures.push(describeFailure(failure));
      const decision = decideRetry({
        policy,
        failure,
        safety,
        attempt,
        elapsedMs: env.now() - started,
        nowMs: env.now(),
        random: env.random(),
      });
      if (!decision.retry) {
        done(attempt, false);
        if (response) return { ...response, attempts: attempt };
        throw afterAttempts(error, attempt);
      }
      await env.sleep(decision.delayMs);
    }
  };
}
