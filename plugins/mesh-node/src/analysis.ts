import type {
  Finding,
  FindingSeverity,
  ResourceRef,
} from '@meshstage/plugin-mesh-common';
import type { KubeObject, KubeResource } from './kube';
import { kubeResourceOf } from './kube';
import type { MeshInjection } from './adapter';

/**
 * A resource type an analyzer reads, by `apiVersion` and `kind`. The snapshot is indexed by API
 * group and kind, so any version of the group is seen (`networking.istio.io/v1` and `v1beta1`
 * VirtualServices alike); the version given here is the one fetched from a cluster.
 * @public
 */
export interface AnalyzerInput {
  apiVersion: string;
  kind: string;
  /** Lower-case plural for the API path; derived from `kind` when absent (`Gateway` → `gateways`). */
  plural?: string;
}

/**
 * A finding code an analyzer can report, for the code registry (SARIF rules, documentation).
 * @public
 */
export interface FindingCodeInfo {
  /** Stable code, e.g. `MS0201`. */
  code: string;
  /** PascalCase name, e.g. `VirtualServiceHostNotFound`. */
  name: string;
  /** The severity findings of this code have unless an analyzer says otherwise. */
  severity: FindingSeverity;
  /** One sentence: what is wrong. */
  summary: string;
  /** How to fix it. */
  help: string;
  /** The `istioctl analyze` code with the same meaning, when there is one. */
  istioCode?: string;
}

/** A mesh as analyzers see it: its id and how it injects proxies. @public */
export interface AnalyzerMesh {
  id: string;
  injection: MeshInjection;
}

/** What the engine gives every analyzer besides the snapshot. @public */
export interface AnalyzerContext {
  /** The meshes the engine knows (from the registered adapters). */
  meshes: readonly AnalyzerMesh[];
  /**
   * Whether the snapshot includes a live cluster's objects. Rules that need facts only a cluster
   * has (is a control plane installed?) report only then, so that analyzing a few files alone does
   * not flag everything they do not contain.
   */
  includesCluster: boolean;
  /**
   * Validates a value against an OpenAPI v3 / JSON schema (the engine supplies its validator, so
   * adapters ship schemas without a validator dependency). Returns one entry per violation, with
   * the JSON pointer of the offending field relative to `value`; empty when valid.
   */
  validateSchema(schema: object, value: unknown): SchemaViolation[];
  /**
   * The time (ms since the epoch) that validity periods (certificates) are checked against, when
   * the caller gives one; analyzers never read the clock themselves. Absent: not checked.
   */
  now?: number;
  /**
   * Kinds the validation could not read from the cluster (the caller may not list them): the
   * snapshot has none of their objects, whatever the cluster holds. Only analyzers that declare
   * `handlesUnreadableKinds` run then and see this; they skip the checks that need such a kind
   * (see {@link isUnreadable}).
   */
  unreadable?: readonly AnalyzerInput[];
}

/**
 * Whether a kind (any version of `apiVersion`'s group) could not be read from the cluster, so
 * that a check must not conclude anything from its objects being absent.
 * @public
 */
export function isUnreadable(
  ctx: Pick<AnalyzerContext, 'unreadable'>,
  apiVersion: string,
  kind: string,
): boolean {
  const key = kindKey(apiVersion, kind);
  return (ctx.unreadable ?? []).some(
    u => kindKey(u.apiVersion, u.kind) === key,
  );
}

/** One schema violation: where (JSON pointer relative to the validated value) and what. @public */
export interface SchemaViolation {
  path: string;
  message: string;
}

/**
 * A validation rule: a pure function over a {@link Snapshot}. No I/O, no clock, no randomness, so
 * the same snapshot always gives the same findings, in the backend, the CLI and tests.
 * @public
 */
export interface Analyzer {
  /** Stable id, e.g. `istio.virtualservice-hosts`. */
  readonly id: string;
  readonly description: string;
  /** The resource types it reads; a cluster snapshot fetches only the union of these. */
  readonly inputs: readonly AnalyzerInput[];
  /** The codes it can report. */
  readonly codes: readonly FindingCodeInfo[];
  /**
   * True when the analyzer still runs if a kind it reads could not be read from the cluster
   * (`ctx.unreadable`), skipping itself only the checks that need that kind. Otherwise the engine
   * does not run it then: a check run on a list that is empty only because it could not be read
   * would report objects missing that are not.
   */
  readonly handlesUnreadableKinds?: boolean;
  analyze(snapshot: Snapshot, ctx: AnalyzerContext): Finding[];
}

/**
 * The resources being analyzed, indexed by API group and kind, and by namespace and name, so that
 * reference checks are lookups, not scans.
 * @public
 */
export interface Snapshot {
  /** Every object, in input order. */
  readonly objects: readonly KubeObject[];
  /** Objects of one kind (any version of `apiVersion`'s group), optionally in one namespace. */
  list(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): readonly KubeObject[];
  /** One object by identity; `namespace` is ignored for cluster-scoped kinds. */
  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined;
  /** Namespaces that appear in the snapshot, as Namespace objects or as objects' namespaces. */
  namespaces(): readonly string[];
}

/** The API group of an `apiVersion` (`''` for the core group `v1`). @public */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function kindKey(apiVersion: string, kind: string): string {
  return `${apiGroup(apiVersion)}/${kind}`;
}

const CLUSTER_SCOPED_KINDS = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'storage.k8s.io/StorageClass',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'gateway.networking.k8s.io/GatewayClass',
  'apiregistration.k8s.io/APIService',
]);

/** Whether a kind is cluster-scoped (Namespace, CRDs, ClusterRoles ...). @public */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kindKey(apiVersion, kind));
}

/**
 * The identity of an object (`group/kind/namespace/name`), version-independent: two versions of
 * one object are the same object.
 * @public
 */
export function objectIdentity(ref: {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}): string {
  const ns = isClusterScoped(ref.apiVersion, ref.kind)
    ? ''
    : ref.namespace ?? '';
  return `${kindKey(ref.apiVersion, ref.kind)}/${ns}/${ref.name}`;
}

/** The {@link @meshstage/plugin-mesh-common#ResourceRef} of an object. @public */
export function resourceRef(obj: KubeObject): ResourceRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...(obj.metadata.namespace !== undefined && {
      namespace: obj.metadata.namespace,
    }),
    name: obj.metadata.name,
  };
}

/**
 * Builds an indexed {@link Snapshot} over objects. Pure. Later objects with the same identity
 * replace earlier ones (callers pass cluster objects first, then files).
 * @public
 */
export function createSnapshot(objects: Iterable<KubeObject>): Snapshot {
  const byId = new Map<string, KubeObject>();
  for (const obj of objects) {
    byId.set(objectIdentity(resourceRef(obj)), obj);
  }
  const all = [...byId.values()];
  const byKind = new Map<string, KubeObject[]>();
  const byKindNs = new Map<string, KubeObject[]>();
  const namespaces = new Set<string>();
  for (const obj of all) {
    const k = kindKey(obj.apiVersion, obj.kind);
    push(byKind, k, obj);
    if (obj.metadata.namespace !== undefined) {
      push(byKindNs, `${k}/${obj.metadata.namespace}`, obj);
      namespaces.add(obj.metadata.namespace);
    }
    if (k === '/Namespace') namespaces.add(obj.metadata.name);
  }
  const sortedNamespaces = [...namespaces].sort();
  return {
    objects: all,
    list(apiVersion, kind, namespace) {
      const k = kindKey(apiVersion, kind);
      if (namespace === undefined || isClusterScoped(apiVersion, kind)) {
        return byKind.get(k) ?? [];
      }
      return byKindNs.get(`${k}/${namespace}`) ?? [];
    },
    get(apiVersion, kind, namespace, name) {
      return byId.get(objectIdentity({ apiVersion, kind, namespace, name }));
    },
    namespaces: () => sortedNamespaces,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The {@link KubeResource} to list for an analyzer input (the plural derived from the kind when
 * not given, with English rules Kubernetes uses: `Policy` → `policies`, `Ingress` → `ingresses`).
 * @public
 */
export function inputResource(input: AnalyzerInput): KubeResource {
  return kubeResourceOf(input.apiVersion, input.kind, input.plural);
}

/**
 * A finding about `obj` with its resource, path and docs filled in.
 * @public
 */
export function findingFor(
  info: FindingCodeInfo,
  obj: KubeObject,
  path: string,
  message: string,
  extra?: Partial<Finding>,
): Finding {
  return {
    code: info.code,
    severity: info.severity,
    message,
    resource: resourceRef(obj),
    path,
    ...(info.istioCode && { istioCode: info.istioCode }),
    ...extra,
  };
}

/** Escapes one JSON pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). @public */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins segments into a JSON pointer, escaping each. @public */
export function jsonPointer(...segments: Array<string | number>): string {
  return segments.map(s => `/${pointerSegment(s)}`).join('');
}
