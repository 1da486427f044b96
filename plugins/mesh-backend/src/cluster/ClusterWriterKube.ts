import type { KubeConfig } from '@kubernetes/client-node';
import { type ObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
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
import { type ClusterRetryPolicy, DEFAULT_CLUSTER_RETRY } from './retryPolicy';

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
 *
 * Transient failures are retried under the cluster retry policy (`retryPolicy.ts`). Server-side
 * apply, merge and strategic merge patches, DELETE and creates of a named object may be repeated;
 * a JSON patch only when the server surely did not serve it. A create that meets AlreadyExists
 * after a retry landed on an earlier attempt when the object carries MeshStage's field manager;
 * a DELETE that meets NotFound after a retry deleted it on an earlier attempt. A 409 Conflict is
 * never retried: MeshStage's writes carry no resourceVersion, so it is a real conflict (another
 * field manager on an apply without force). Other refusals fail at once, naming the object's path
 * and the API server's message.
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
    retry: ClusterRetryPolicy = DEFAULT_CLUSTER_RETRY,
  ) {
    this.name = cluster.name;
    this.#request = createKubeRequest(cluster, kc, timeoutMs, retry);
    this.#reader = new KubeClusterClient(cluster, kc, timeoutMs, retry);
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
    const named = !!object.metadata.name;
    const res = await this.#request('POST', path, {
      query: { fieldManager: MESHSTAGE_FIELD_MANAGER },
      body: JSON.stringify(object),
      contentType: 'application/json',
      // With a fixed name a repeat cannot make a second object: it meets AlreadyExists.
      safety: named ? 'idempotent' : 'once',
    });
    if (named && (res.attempts ?? 1) > 1 && alreadyExists(res)) {
      const landed = await this.get<T>(objectRef(object));
      if (landed && managedByMeshStage(landed)) return landed;
    }
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
      // A JSON patch may add to a list twice; merge patches set the same values again.
      safety: type === 'json' ? 'once' : 'idempotent',
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
    // NotFound after a retry: an earlier attempt deleted it, and only its answer was lost.
    if (res.status === 404) return (res.attempts ?? 1) > 1;
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
      throw KubeApiError.fromResponse(
        `GET ${path}`,
        res.status,
        res.text,
        res.attempts,
      );
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
      throw KubeApiError.fromResponse(what, res.status, res.text, res.attempts);
    }
    return res.text ? JSON.parse(res.text) : undefined;
  }
}

function alreadyExists(res: KubeResponse): boolean {
  if (res.status !== 409) return false;
  try {
    return JSON.parse(res.text)?.reason === 'AlreadyExists';
  } catch {
    return false;
  }
}

/** Whether MeshStage's field manager wrote the object (so a create of ours made it). */
function managedByMeshStage(object: KubeObject): boolean {
  const fields = (
    object.metadata as { managedFields?: Array<{ manager?: string }> }
  ).managedFields;
  return !!fields?.some(f => f.manager === MESHSTAGE_FIELD_MANAGER);
}
