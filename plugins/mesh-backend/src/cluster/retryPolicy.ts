/**
 * When a request to a cluster is tried again, and after how long: which failures are transient,
 * which requests may be repeated, the backoff of each retry, the server's `Retry-After`. Pure: the
 * clock and the randomness come in as arguments; `retryingRequest.ts` does the waiting.
 */

/** How requests to a cluster are retried (`mesh.clusterRetry`). */
export interface ClusterRetryPolicy {
  /** Attempts in all, the first included; 1 turns retries off. */
  attempts: number;
  /** Backoff before the first retry; it doubles with each retry, with jitter. */
  initialDelayMs: number;
  /** The longest backoff between two attempts. */
  maxDelayMs: number;
  /** The longest a server's `Retry-After` is waited out; a longer one is waited this long. */
  maxRetryAfterMs: number;
  /** No retry starts later than this after the first attempt began. */
  budgetMs: number;
}

/** Used when `mesh.clusterRetry` is not set. */
export const DEFAULT_CLUSTER_RETRY: ClusterRetryPolicy = {
  attempts: 4,
  initialDelayMs: 250,
  maxDelayMs: 4000,
  maxRetryAfterMs: 10_000,
  budgetMs: 30_000,
};

/** How one attempt failed. */
export type RequestFailure =
  /** The API server answered with a non-2xx status. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** The connection failed: refused, reset, cut in the middle of the answer. */
  | { kind: 'connection'; code: string }
  /** No answer within the cluster timeout. */
  | { kind: 'timeout' };

/**
 * What repeating a request does. `idempotent`: the same result however often it lands (GET,
 * server-side apply, merge and strategic merge patches, DELETE, a create with a fixed name whose
 * AlreadyExists the caller reconciles). `once`: it may not land twice (a create with
 * `generateName`, a JSON patch), so it is repeated only when the server surely did not act on it.
 */
export type RequestSafety = 'idempotent' | 'once';

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Connection errors worth another attempt; TLS and DNS-name errors are not (they will not change). */
const TRANSIENT_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

/** Whether another attempt may succeed where this one failed. */
export function isTransient(failure: RequestFailure): boolean {
  switch (failure.kind) {
    case 'status':
      return TRANSIENT_STATUSES.has(failure.status);
    case 'connection':
      return TRANSIENT_CONNECTION_CODES.has(failure.code);
    default:
      return true;
  }
}

/**
 * Whether the server surely did not act on the request: a 429 (flow control turns requests away
 * before serving them) or a refused connection. Anything else (a 500, a reset, a timeout) may
 * have come after the change was made.
 */
export function surelyNotServed(failure: RequestFailure): boolean {
  return (
    (failure.kind === 'status' && failure.status === 429) ||
    (failure.kind === 'connection' && failure.code === 'ECONNREFUSED')
  );
}

/**
 * A `Retry-After` header in milliseconds: delta-seconds or an HTTP date (`nowMs` is the clock).
 * `undefined` when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(
  value: string | undefined,
  nowMs: number,
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The backoff before retry `retry` (1 for the first): `initialDelayMs` doubled per retry, at most
 * `maxDelayMs`, with "equal jitter" (half of it fixed, half drawn with `random` in [0, 1)) so that
 * clients failing together do not retry together, yet never retry at once.
 */
export function backoffMs(
  policy: ClusterRetryPolicy,
  retry: number,
  random: number,
): number {
  const exp = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * 2 ** Math.max(0, retry - 1),
  );
  return Math.round(exp / 2 + (exp / 2) * random);
}

/** Whether to try again, how long to wait first, and why (for logs and messages). */
export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; why: string };

/**
 * Decides after a failed attempt: retry a transient failure of a request that may be repeated,
 * after the server's `Retry-After` (capped) or the backoff, while attempts and the budget last.
 */
export function decideRetry(input: {
  policy: ClusterRetryPolicy;
  failure: RequestFailure;
  safety: RequestSafety;
  /** Attempts made so far (1 after the first). */
  attempt: number;
  /** Milliseconds since the first attempt began. */
  elapsedMs: number;
  nowMs: number;
  /** A number in [0, 1) for the jitter. */
  random: number;
}): RetryDecision {
  const { policy, failure, safety, attempt, elapsedMs } = input;
  if (!isTransient(failure)) return { retry: false, why: 'not transient' };
  if (safety === 'once' && !surelyNotServed(failure))
    return {
      retry: false,
      why: 'the request may have been served and must not land twice',
    };
  if (attempt >= policy.attempts)
    return { retry: false, why: `${attempt} attempts made` };
  const retryAfter =
    failure.kind === 'status'
      ? parseRetryAfter(failure.retryAfter, input.nowMs)
      : undefined;
  const delayMs =
    retryAfter !== undefined
      ? Math.min(retryAfter, policy.maxRetryAfterMs)
      : backoffMs(policy, attempt, input.random);
  if (elapsedMs + delayMs > policy.budgetMs)
    return {
      retry: false,
      why: `the retry budget of ${policy.budgetMs} ms would be spent`,
    };
  return { retry: true, delayMs };
}

/**
 * How an attempt's error failed, for errors that are about the connection or the timeout;
 * `undefined` for anything else (a bug, a TLS or configuration problem), which is not retried.
 */
export function failureOfError(error: unknown): RequestFailure | undefined {
  const e = error as { name?: string; code?: unknown; type?: string };
  if (e?.name === 'KubeRequestTimeoutError') return { kind: 'timeout' };
  if (typeof e?.code === 'string' && TRANSIENT_CONNECTION_CODES.has(e.code))
    return { kind: 'connection', code: e.code };
  return undefined;
}
