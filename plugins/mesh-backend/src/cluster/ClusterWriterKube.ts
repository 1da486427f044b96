import type { KubeConfig } from '@kubernetes/client-node';
import type { ObjectRef } from '@meshstage/plugin-mesh-common';
import type {
  KubeListOptions,
  KubeObject,
  KubeResource,
} from '@meshstage/plugin-mesh-node';
import { kubeCollectionPath } from '@meshstage/plugin-mesh-node';
import type {
  ApplyOptions,
  ClusterWriter,
  DeleteOptions,
  PatchType,
  PodLogOptions,
} from './ClusterWriter';
import { KubeApiError } from './ClusterWriterError';
import { ClusterWriterResources } from './ClusterWriterResources';
import { KubeClusterClient } from './KubeClusterClient';
import {
  createKubeRequest,
  type KubeRequest,
  type KubeResponse,
} from './kubeRequest';

/** The field manager every MeshStage write is made under. */
export const MESHSTAGE_FIELD_MANAGER = 'meshstage';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/**
 * A {@link ClusterWriter} over `@kubernetes/client-node`'s KubeConfig (the same TLS settings and
 * credentials as the cluster's {@link KubeClusterClient}) and raw HTTP, so objects go out and come
 * back as the API server's JSON and any resource can be addressed.
 */
export class KubeClusterWriter implements ClusterWriter {
  readonly name: string;
  readonly #request: KubeRequest;
  readonly #reader: KubeClusterClient;
  readonly #resources: ClusterWriterResources;

  constructor(
    cluster: { name: string; url: string; title?: string },
    kc: KubeConfig,
    timeoutMs: number,
  ) {
    this.name = cluster.name;
    this.#request = createKubeRequest(cluster, kc, timeoutMs);
    this.#reader = new KubeClusterClient(cluster, kc, timeoutMs);
    this.#resources = new ClusterWriterResources(async path => {
      const res = await this.#request('GET', path);
      if (res.status === 404) return undefined;
      this.#check(`GET ${path}`, res);
      return JSON.parse(res.text);
    });
  }

  async get<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
  ): Promise<T | undefined> {
    const path = await this.#objectPath(ref);
    const res = await this.#request('GET', path);
    if (res.status === 404) return undefined;
    return this.#check(`GET ${path}`, res) as T;
  }

  async apply<T extends KubeObject = KubeObject>(
    object: KubeObject,
    options: ApplyOptions = {},
  ): Promise<T> {
    const path = await this.#objectPath(object);
    const query: Record<string, string> = {
      fieldManager: MESHSTAGE_FIELD_MANAGER,
      force: String(options.force ?? true),
    };
    if (options.dryRun) query.dryRun = 'All';
    // JSON is valid YAML, so the object goes out as is.
    const res = await this.#request('PATCH', path, {
      query,
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
    });
    return this.#check(`apply ${path}`, res) as T;
  }

  async create<T extends KubeObject = KubeObject>(
    object: KubeObject,
  ): Promise<T> {
    const resource = await this.#resource(object);
    const path = kubeCollectionPath(resource, object.metadata.namespace);
    const res = await this.#request('POST', path, {
      query: { fieldManager: MESHSTAGE_FIELD_MANAGER },
      body: JSON.stringify(object),
      contentType: 'application/json',
    });
    return this.#check(`POST ${path}`, res) as T;
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: unknown,
    type: PatchType,
  ): Promise<T> {
    const path = await this.#objectPath(ref);
    const res = await this.#request('PATCH', path, {
      query: { fieldManager: MESHSTAGE_FIELD_MANAGER },
      body: JSON.stringify(patch),
      contentType: PATCH_CONTENT_TYPES[type],
    });
    return this.#check(`PATCH ${path}`, res) as T;
  }

  async delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
    const path = await this.#objectPath(ref);
    const query: Record<string, string> = {};
    if (options.propagationPolicy) {
      query.propagationPolicy = options.propagationPolicy;
    }
    const res = await this.#request('DELETE', path, { query });
    if (res.status === 404) return false;
    this.#check(`DELETE ${path}`, res);
    return true;
  }

  list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]> {
    return this.#reader.list<T>(resource, options);
  }

  async podLogs(
    namespace: string,
    pod: string,
    options: PodLogOptions = {},
  ): Promise<string> {
    const e = encodeURIComponent;
    const path = `/api/v1/namespaces/${e(namespace)}/pods/${e(pod)}/log`;
    const query: Record<string, string> = {};
    if (options.container) query.container = options.container;
    if (options.tailLines !== undefined) {
      query.tailLines = String(options.tailLines);
    }
    const res = await this.#request('GET', path, {
      query,
      // The log endpoint answers text/plain; kube-sim refuses an Accept without */*.
      accept: 'text/plain, */*',
    });
    if (res.status < 200 || res.status > 299) {
      throw KubeApiError.fromResponse(`GET ${path}`, res.status, res.text);
    }
    return res.text;
  }

  #resource(ref: { apiVersion: string; kind: string }): Promise<KubeResource> {
    return this.#resources.resolve(ref.apiVersion, ref.kind);
  }

  /** The URL path of one object, from a reference or the object itself. */
  async #objectPath(target: ObjectRef | KubeObject): Promise<string> {
    const { name, namespace } = 'metadata' in target ? target.metadata : target;
    const resource = await this.#resource(target);
    return `${kubeCollectionPath(resource, namespace)}/${encodeURIComponent(
      name,
    )}`;
  }

  /** The parsed body of a 2xx response; anything else rejects with the Status message. */
  #check(what: string, res: KubeResponse): unknown {
    if (res.status < 200 || res.status > 299) {
      throw KubeApiError.fromResponse(what, res.status, res.text);
    }
    return res.text ? JSON.parse(res.text) : undefined;
  }
}
