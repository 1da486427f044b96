import type { KubeConfig } from '@kubernetes/client-node';
import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
} from '@meshstage/plugin-mesh-node';
import { kubeCollectionPath } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from './types';
import { KubeApiError } from './ClusterWriterError';
import {
  createKubeRequest,
  type KubeRequest,
  readRetryPolicy,
} from './kubeRequest';
import { type ClusterRetryPolicy, DEFAULT_CLUSTER_RETRY } from './retryPolicy';

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
  readonly #request: KubeRequest;

  readonly name: string;
  readonly url: string;
  readonly title?: string;

  constructor(
    cluster: { name: string; url: string; title?: string },
    kc: KubeConfig,
    timeoutMs: number,
    retry: ClusterRetryPolicy = DEFAULT_CLUSTER_RETRY,
  ) {
    this.name = cluster.name;
    this.url = cluster.url;
    this.title = cluster.title;
    // Pages wait on reads: their retries fit in one cluster timeout.
    this.#request = createKubeRequest(
      cluster,
      kc,
      timeoutMs,
      readRetryPolicy(retry, timeoutMs),
    );
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

  /**
   * GETs a path as JSON; `undefined` on 404. Each attempt is bounded by the cluster timeout;
   * transient failures are retried within it.
   */
  async #get<T>(
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<T | undefined> {
    const res = await this.#request('GET', path, { query });
    if (res.status === 404) {
      return undefined;
    }
    if (res.status < 200 || res.status > 299) {
      throw KubeApiError.fromResponse(
        `GET ${path}`,
        res.status,
        res.text,
        res.attempts,
      );
    }
    return JSON.parse(res.text) as T;
  }
}
