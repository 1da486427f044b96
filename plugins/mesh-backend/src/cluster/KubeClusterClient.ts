import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
} from '@meshstage/plugin-mesh-node';
import { kubeCollectionPath } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from './types';
import { withTimeout } from './withTimeout';

// Large clusters list in pages, so one response never holds every pod of the cluster.
const PAGE_SIZE = 500;

interface KubeList {
  kind?: string;
  metadata?: { continue?: string };
  items?: Array<Record<string, unknown>>;
}

/**
 * A cluster reached with `@kubernetes/client-node`: its KubeConfig supplies TLS settings and
 * credentials; requests are raw GETs so that objects come back as the API server's JSON (the typed
 * clients drop fields they do not model, and cannot address arbitrary resources by plural).
 */
export class KubeClusterClient implements ClusterClient {
  readonly #kc: KubeConfig;
  readonly #timeoutMs: number;
  readonly #http = new IsomorphicFetchHttpLibrary();

  readonly name: string;
  readonly url: string;
  readonly title?: string;

  constructor(
    cluster: { name: string; url: string; title?: string },
    kc: KubeConfig,
    timeoutMs: number,
  ) {
    this.name = cluster.name;
    this.url = cluster.url;
    this.title = cluster.title;
    this.#kc = kc;
    this.#timeoutMs = timeoutMs;
  }

  async serverVersion(): Promise<string> {
    const body = await this.#get<{ gitVersion?: string }>('/version');
    if (!body?.gitVersion) {
      throw new Error(
        `cluster '${this.name}' answered /version without a gitVersion`,
      );
    }
    return body.gitVersion;
  }

  async list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]> {
    const path = kubeCollectionPath(resource, options?.namespace);
    const apiVersion = resource.group
      ? `${resource.group}/${resource.version}`
      : resource.version;
    const items: T[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.#get<KubeList>(path, {
        labelSelector: options?.labelSelector,
        limit: String(PAGE_SIZE),
        continue: continueToken,
      });
      if (page === undefined) {
        // The cluster does not serve this resource type, e.g. a CRD that is not installed.
        return [];
      }
      // List items lack apiVersion and kind; the list's kind is `<Kind>List`.
      const kind = page.kind?.replace(/List$/, '') ?? '';
      for (const item of page.items ?? []) {
        items.push({ apiVersion, kind, ...item } as unknown as T);
      }
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  /** GETs a path as JSON; `undefined` on 404. Bounded by the cluster timeout. */
  async #get<T>(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<T | undefined> {
    const url = new URL(`${this.url.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return withTimeout(
      async signal => {
        const request = new RequestContext(url.toString(), HttpMethod.GET);
        request.setHeaderParam('Accept', 'application/json');
        request.setSignal(signal);
        // Sets the bearer token and the TLS agent (CA, skipTLSVerify) from the KubeConfig.
        await this.#kc.applySecurityAuthentication(request);
        const response = await this.#http.send(request).toPromise();
        const text = await response.body.text();
        if (response.httpStatusCode === 404) {
          return undefined;
        }
        if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
          throw new Error(
            `GET ${path} failed with HTTP ${
              response.httpStatusCode
            }: ${statusMessage(text)}`,
          );
        }
        return JSON.parse(text) as T;
      },
      this.#timeoutMs,
      `cluster '${this.name}' did not answer GET ${path} within ${
        this.#timeoutMs
      } ms`,
    );
  }
}

/** The message of a Kubernetes `Status` error body, or the raw body. */
function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (typeof parsed?.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || '(empty body)';
}
