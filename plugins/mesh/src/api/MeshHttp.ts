import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/** Query parameters; `undefined` values are left out. */
export type MeshQuery = Record<string, string | number | boolean | undefined>;

/**
 * The one place the frontend talks HTTP to the mesh backend: finds it through the discovery
 * API and calls it with the fetch API (so every request carries the user's Backstage token),
 * turning non-2xx answers into `ResponseError`s that carry the backend's message.
 * @public
 */
export class MeshHttp {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** The absolute URL of a backend path such as `/operations`. */
  async url(path: string, query?: MeshQuery): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mesh');
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const qs = params.toString();
    return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  get<T>(path: string, query?: MeshQuery): Promise<T> {
    return this.json<T>('GET', path, undefined, query);
  }

  post<T>(path: string, body?: unknown, query?: MeshQuery): Promise<T> {
    return this.json<T>('POST', path, body, query);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('PUT', path, body);
  }

  async delete(path: string): Promise<void> {
    await this.send('DELETE', path);
  }

  /** A raw response (for downloads and streams), already checked for a non-2xx status. */
  async send(
    method: string,
    path: string,
    init: {
      body?: unknown;
      query?: MeshQuery;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchApi.fetch(
      await this.url(path, init.query),
      {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: MeshQuery,
  ): Promise<T> {
    const response = await this.send(method, path, { body, query });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}

/** Encodes an entity reference as the backend's `/entity/:kind/:namespace/:name` path part. */
export function entityPath(entity: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return [entity.kind, entity.namespace, entity.name]
    .map(encodeURIComponent)
    .join('/');
}
