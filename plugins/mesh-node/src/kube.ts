/**
 * The slice of the Kubernetes object model that adapters read. These are plain JSON shapes, as the
 * API server returns them, so that adapters need neither `@kubernetes/client-node` nor the
 * backend's internals.
 */

/** A reference from an object to the object that owns it. @public */
export interface KubeOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** Standard object metadata. Fields the API server adds and adapters rarely need are kept loose. @public */
export interface KubeObjectMeta {
  name: string;
  /** Absent for cluster-scoped objects such as Namespaces. */
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeOwnerReference[];
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  [key: string]: unknown;
}

/**
 * Any Kubernetes object, as JSON. `TSpec` and `TStatus` let callers name the shape they expect;
 * nothing checks it at runtime.
 * @public
 */
export interface KubeObject<
  TSpec = Record<string, unknown>,
  TStatus = Record<string, unknown>,
> {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta;
  spec?: TSpec;
  status?: TStatus;
  [key: string]: unknown;
}

/** A container of a pod spec. @public */
export interface KubeContainer {
  name: string;
  image?: string;
  /** `Always` on an init container makes it a native sidecar (Kubernetes 1.28+). */
  restartPolicy?: string;
  [key: string]: unknown;
}

/** The part of a pod spec adapters read. @public */
export interface KubePodSpec {
  containers: KubeContainer[];
  initContainers?: KubeContainer[];
  [key: string]: unknown;
}

/** A container's runtime state, from pod status. @public */
export interface KubeContainerStatus {
  name: string;
  ready: boolean;
  image?: string;
  restartCount?: number;
  [key: string]: unknown;
}

/** A Pod. @public */
export type KubePod = KubeObject<
  KubePodSpec,
  {
    phase?: string;
    conditions?: Array<{
      type: string;
      status: string;
      [key: string]: unknown;
    }>;
    containerStatuses?: KubeContainerStatus[];
    initContainerStatuses?: KubeContainerStatus[];
    [key: string]: unknown;
  }
>;

/** A Deployment. @public */
export type KubeDeployment = KubeObject<
  {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string>; [key: string]: unknown };
    template?: {
      metadata?: Partial<KubeObjectMeta>;
      spec?: KubePodSpec;
    };
    [key: string]: unknown;
  },
  {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    [key: string]: unknown;
  }
>;

/** A Namespace. @public */
export type KubeNamespace = KubeObject;

/**
 * A resource type, addressed as the API server's URL paths address it
 * (`/apis/<group>/<version>/<plural>`, or `/api/<version>/<plural>` for the core group `''`).
 * @public
 */
export interface KubeResource {
  /** API group; `''` for the core group (pods, namespaces, services ...). */
  group: string;
  version: string;
  /** Lower-case plural resource name, e.g. `deployments`. */
  plural: string;
}

/**
 * The API path of a resource collection, e.g. `/apis/apps/v1/namespaces/x/deployments`; all
 * namespaces when `namespace` is absent.
 * @public
 */
export function kubeCollectionPath(
  resource: KubeResource,
  namespace?: string,
): string {
  const e = encodeURIComponent;
  const base = resource.group
    ? `/apis/${e(resource.group)}/${e(resource.version)}`
    : `/api/${e(resource.version)}`;
  const ns = namespace ? `/namespaces/${e(namespace)}` : '';
  return `${base}${ns}/${e(resource.plural)}`;
}

// Kinds whose resource name is not the regular English plural.
const IRREGULAR_PLURALS: Record<string, string> = {
  Endpoints: 'endpoints',
};

/**
 * The resource name of a kind as the API server derives it for built-in types and most CRDs:
 * lower-case English plural (`Gateway` → `gateways`, `Policy` → `policies`, `Ingress` →
 * `ingresses`).
 * @public
 */
export function kindPlural(kind: string): string {
  if (IRREGULAR_PLURALS[kind]) return IRREGULAR_PLURALS[kind];
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/**
 * The {@link KubeResource} of an `apiVersion` and kind; the plural is derived with
 * {@link kindPlural} unless given.
 * @public
 */
export function kubeResourceOf(
  apiVersion: string,
  kind: string,
  plural?: string,
): KubeResource {
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: apiVersion.slice(slash + 1),
    plural: plural ?? kindPlural(kind),
  };
}

/** The resource types MeshStage reads most, so adapters do not spell them out. @public */
export const kubeResources = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces' },
  pods: { group: '', version: 'v1', plural: 'pods' },
  services: { group: '', version: 'v1', plural: 'services' },
  configMaps: { group: '', version: 'v1', plural: 'configmaps' },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments' },
  daemonSets: { group: 'apps', version: 'v1', plural: 'daemonsets' },
  replicaSets: { group: 'apps', version: 'v1', plural: 'replicasets' },
  statefulSets: { group: 'apps', version: 'v1', plural: 'statefulsets' },
  customResourceDefinitions: {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
  },
  mutatingWebhookConfigurations: {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
  },
} as const satisfies Record<string, KubeResource>;

/** Options of {@link MeshClusterView.list}. @public */
export interface KubeListOptions {
  /** Only objects in this namespace; all namespaces when absent. Ignored for cluster-scoped types. */
  namespace?: string;
  /** A Kubernetes label selector, e.g. `app=istiod` or `istio.io/rev in (1-23,1-24)`. */
  labelSelector?: string;
}

/**
 * The read-only view of one cluster that an adapter gets. The backend implements it on top of the
 * cluster's API server (with its own credentials, timeouts and caching); tests implement it in
 * memory (see {@link InMemoryClusterView}).
 * @public
 */
export interface MeshClusterView {
  /** The cluster's name in the Kubernetes plugin's configuration. */
  readonly name: string;
  /**
   * Lists objects of one resource type. Every returned object carries `apiVersion` and `kind`
   * (the API server leaves them out of list items; implementations fill them in).
   * A resource type the cluster does not serve (e.g. a CRD that is not installed) lists as empty;
   * any other failure (unreachable, unauthorized, timeout) rejects. A type the caller may not list
   * (HTTP 403) rejects with an error whose `code` is 403 and, when the view has it, whose
   * `statusMessage` is the API server's message (see {@link isForbiddenError}).
   *
   * @typeParam T - the shape the caller expects; not checked.
   */
  list<T extends KubeObject = KubeObject>(
    resource: KubeResource,
    options?: KubeListOptions,
  ): Promise<T[]>;
}

/**
 * Whether a {@link MeshClusterView.list} rejection means that the caller may not list the type
 * (HTTP 403 Forbidden, e.g. a read-only role without ClusterRoles), rather than that the cluster
 * could not be read: the error's `code` is 403.
 * @public
 */
export function isForbiddenError(
  error: unknown,
): error is Error & { code: 403; statusMessage?: string } {
  return error instanceof Error && (error as { code?: unknown }).code === 403;
}
