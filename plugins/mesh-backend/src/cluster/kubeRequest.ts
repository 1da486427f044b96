import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { withRetries } from './retryingRequest';
import {
  type ClusterRetryPolicy,
  DEFAULT_CLUSTER_RETRY,
  type RequestSafety,
} from './retryPolicy';
import { withTimeout } from './withTimeout';

/** An API server's answer: status, headers and body text. */
export interface KubeResponse {
  status: number;
  text: string;
  /** Response headers, names in lower case (`retry-after`). */
  headers?: Record<string, string>;
  /** How many attempts it took (more than 1 after retries). */
  attempts?: number;
}

/** Query, body and content negotiation of one request. */
export interface KubeRequestOptions {
  /** Parameters; `undefined` values are left out. */
  query?: Record<string, string | undefined>;
  body?: string;
  /** Defaults to `application/json` when there is a body. */
  contentType?: string;
  /** Defaults to `application/json`. */
  accept?: string;
  /**
   * Whether the request may land twice (see {@link RequestSafety}): POST defaults to `once`
   * (retried only when the server surely did not serve it), every other method to `idempotent`.
   */
  safety?: RequestSafety;
}

/** Sends one request to a cluster's API server. */
export type KubeRequest = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options?: KubeRequestOptions,
) => Promise<KubeResponse>;

/** A request the cluster did not answer within the cluster timeout. */
export class KubeRequestTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeRequestTimeoutError';
  }
}

/**
 * One attempt of a request, bounded by the cluster timeout (which also ends an answer whose
 * connection was cut after its headers: client-node's fetch never settles such a body).
 */
function createKubeAttempt(
  cluster: { name: string; url: string },
  kc: KubeConfig,
  timeoutMs: number,
): KubeRequest {
  const base = cluster.url.replace(/\/+$/, '');
  const http = new IsomorphicFetchHttpLibrary();
  return async (method, path, options = {}) => {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    let aborted: AbortSignal | undefined;
    try {
      return await withTimeout(
        async signal => {
          aborted = signal;
          const request = new RequestContext(
            url.toString(),
            HttpMethod[method],
          );
          request.setHeaderParam(
            'Accept',
            options.accept ?? 'application/json',
          );
          if (options.body !== undefined) {
            request.setHeaderParam(
              'Content-Type',
              options.contentType ?? 'application/json',
            );
            request.setBody(options.body);
          }
          request.setSignal(signal);
          await kc.applySecurityAuthentication(request);
          const response = await http.send(request).toPromise();
          return {
            status: response.httpStatusCode,
            text: await response.body.text(),
            headers: response.headers,
          };
        },
        timeoutMs,
        `cluster '${cluster.name}' did not answer ${method} ${path} within ${timeoutMs} ms`,
      );
    } catch (error) {
      // withTimeout aborts the request's signal before it rejects: that is how a timeout looks.
      if (aborted?.aborted) {
        throw new KubeRequestTimeoutError((error as Error).message);
      }
      throw error;
    }
  };
}

/**
 * The policy for reads that pages wait on: retries fit in one cluster timeout, so a read of a
 * cluster that is down or hung costs about what it did without them.
 */
export function readRetryPolicy(
  retry: ClusterRetryPolicy,
  timeoutMs: number,
): ClusterRetryPolicy {
  return { ...retry, budgetMs: Math.min(retry.budgetMs, timeoutMs) };
}

/**
 * Raw HTTP to a cluster with `@kubernetes/client-node`'s KubeConfig supplying the bearer token and
 * the TLS agent (CA, skipTLSVerify), so objects travel as the API server's JSON and any resource
 * can be addressed. Every attempt is bounded by the cluster timeout; transient failures are tried
 * again under `retry` (see `retryPolicy.ts`), by default the defaults within one cluster timeout
 * ({@link readRetryPolicy}). Shared by the cluster's reader and writer.
 */
export function createKubeRequest(
  cluster: { name: string; url: string },
  kc: KubeConfig,
  timeoutMs: number,
  retry: ClusterRetryPolicy = readRetryPolicy(DEFAULT_CLUSTER_RETRY, timeoutMs),
): KubeRequest {
  return withRetries(createKubeAttempt(cluster, kc, timeoutMs), retry);
}
