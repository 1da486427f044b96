import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
  MeshClusterView,
} from '../kube';
import { kubeCollectionPath } from '../kube';

/**
 * A minimal {@link MeshClusterView} over an API server URL and bearer token, using the global
 * `fetch`, for adapter tests against a real or simulated cluster (such as `@meshstage/kube-sim`).
 * It is not meant for production: the mesh backend has its own cluster access with TLS options,
 * timeouts and the Kubernetes plugin's configuration.
 * @public
 */
export class HttpClusterView implements MeshClusterView {
  readonly name: string;
  readonly #url: string;
  readonly #token?: string;

  constructor(options: { url: string; token?: string; name?: string }) {
    this.name = options.name ?? 'test';
    this.#url = options.url.replace(/\/+$/, '');
    this.#token = options.token;
  }

  async list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]> {
    const url = new URL(
      `${this.#url}${kubeCollectionPath(resource, options?.namespace)}`,
    );
    if (options?.labelSelector) {
      url.searchParams.set('labelSelector', options.labelSelector);
    }
    const res = await fetch(url, {
      headers: {
        Accept: 'application/json',
        ...(this.#token && { Authorization: `Bearer ${this.#token}` }),
      },
    });
    if (res.status === 404) {
      return [];
    }
    if (!res.ok) {
      // `code`, as MeshClusterView asks, so that a 403 can be told apart.
      throw Object.assign(
        new Error(
          `GET ${url.pathname} failed: ${res.status} ${await res.text()}`,
        ),
        { code: res.status },
      );
    }
    const body = (await res.json()) as {
      kind?: string;
      items?: Array<Record<string, unknown>>;
    };
    const apiVersion = resource.group
      ? `${resource.group}/${resource.version}`
      : resource.version;
    const kind = body.kind?.replace(/List$/, '') ?? '';
    return (body.items ?? []).map(
      item => ({ apiVersion, kind, ...item } as unknown as T),
    );
  }
}
