import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { withTimeout } from './withTimeout';

/** An API server's answer: status and body text. */
export interface KubeResponse {
  status: number;
  text: string;
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
}

/** Sends one request to a cluster's API server. */
export type KubeRequest = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options?: KubeRequestOptions,
) => Promise<KubeResponse>;

/**
 * Raw HTTP to a cluster with `@kubernetes/client-node`'s KubeConfig supplying the bearer token and
 * the TLS agent (CA, skipTLSVerify), so objects travel as the API server's JSON and any resource
 * can be addressed. Every request is bounded by the cluster timeout. Shared by the cluster's
 * reader and writer.
 */
export function createKubeRequest(
  cluster: { name: string; url: string },
  kc: KubeConfig,
  timeoutMs: number,
): KubeRequest {
  const base = cluster.url.replace(/\/+$/, '');
  const http = new IsomorphicFetchHttpLibrary();
  return (method, path, options = {}) => {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return withTimeout(
      async signal => {
        const request = new RequestContext(url.toString(), HttpMethod[method]);
        request.setHeaderParam('Accept', options.accept ?? 'application/json');
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
        };
      },
      timeoutMs,
      `cluster '${cluster.name}' did not answer ${method} ${path} within ${timeoutMs} ms`,
    );
  };
}
