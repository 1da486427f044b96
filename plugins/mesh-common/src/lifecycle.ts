import type { BenchmarkProfileInput, BenchmarkProfileSpec } from './benchmarks';

/**
 * Lifecycle requests and the plans adapters turn them into. Plain JSON shapes: a plan is stored
 * with its operation, shown on dry run and executed step by step, so it must survive
 * `JSON.stringify` unchanged (no classes, no functions, no `undefined`-only meaning).
 */

/** Fields every lifecycle request carries. @public */
export interface LifecycleRequestBase {
  /** Adapter id, e.g. `istio`. */
  mesh: string;
  /** Cluster name from the Kubernetes plugin's configuration. */
  cluster: string;
}

/** Install a mesh's control plane. @public */
export interface InstallRequest extends LifecycleRequestBase {
  action: 'install';
  /** One of the adapter's `supportedVersions()`. */
  version: string;
  /** Mesh-specific profile name (e.g. Istio's `default`, `minimal`). */
  profile?: string;
  /** Mesh-specific values merged into the rendered mesh configuration. */
  values?: Record<string, unknown>;
  /** Install as a named revision beside others (Istio), e.g. `1-24-2`. */
  revision?: string;
  /**
   * Revision tags to point at the installed revision (Istio, e.g. `['default']`): created, or
   * moved when they exist.
   */
  revisionTags?: string[];
}

/** Remove a mesh's control plane (one revision when `revision` is given). @public */
export interface UninstallRequest extends LifecycleRequestBase {
  action: 'uninstall';
  revision?: string;
}

/** Move a mesh to another version. @public */
export interface UpgradeRequest extends LifecycleRequestBase {
  action: 'upgrade';
  toVersion: string;
  /**
   * `canary`: the new control plane runs beside the old one and namespaces move to it (Istio
   * revisions). `in-place`: the control plane is replaced, then workloads restart.
   */
  strategy: 'canary' | 'in-place';
  /**
   * Canary upgrades (Istio): the revision tags to move to the new revision (e.g. `default` or
   * `prod-stable`), so namespaces labelled with the tag (or `istio-injection=enabled` for
   * `default`) follow without relabelling; a tag that does not exist yet is created. Tags that
   * still point at a revision the upgrade removes are moved too.
   */
  revisionTags?: string[];
  /**
   * Canary upgrades: gate the promotion on a benchmark. One namespace moves to the new revision
   * first; the profile runs against it before (the stable revision serving it) and after; the
   * upgrade goes on only when p99 latency and error rate rose no more than the budget beyond
   * run-to-run noise, else that namespace moves back and the operation stops, failed, saying why.
   */
  gate?: CanaryGate;
}

/**
 * How much worse the canary may be than the stable revision, beyond run-to-run noise.
 * @public
 */
export interface CanaryGateBudget {
  /**
   * The most p99 latency may rise: a share of the baseline's p99 (`20%`) or a duration
   * (`50ms`, `1s`).
   */
  p99Increase: string;
  /** The most the error rate may rise, as a ratio: `0.01` is one percentage point. */
  errorRateIncrease: number;
}

/** The performance gate of a canary upgrade (see {@link UpgradeRequest.gate}). @public */
export interface CanaryGate {
  /** A stored benchmark profile's id, or an inline profile. */
  profile: string | BenchmarkProfileInput;
  /**
   * The namespace moved first and benchmarked. Default: the namespace the profile's first
   * endpoint names (`http://<service>.<namespace>.svc.cluster.local:<port>/...`).
   */
  namespace?: string;
  budget: CanaryGateBudget;
}

/**
 * A canary gate as the backend resolved it for planning: the namespace decided and the profile
 * as it will run.
 * @public
 */
export interface ResolvedCanaryGate {
  namespace: string;
  profile: BenchmarkProfileSpec;
  /** The stored profile's id, when the request named one. */
  profileId?: string;
  budget: CanaryGateBudget;
}

/** Undo an upgrade (or abort a canary in progress). @public */
export interface RollbackRequest extends LifecycleRequestBase {
  action: 'rollback';
  /** The operation to undo; the latest one on this cluster and mesh when absent. */
  operationId?: string;
}

/** Enable (onboard) or disable (offboard) proxy injection in a namespace and restart its workloads. @public */
export interface NamespaceRequest extends LifecycleRequestBase {
  action: 'onboard' | 'offboard';
  namespace: string;
}

/**
 * Deploy one of the adapter's sample applications into a namespace created for it and onboarded
 * to the mesh, or remove it (with its namespace). @public
 */
export interface SampleAppRequest extends LifecycleRequestBase {
  action: 'deploy-sample' | 'remove-sample';
  /** The sample's id, one of the adapter's `sampleApps()`, e.g. `bookinfo`. */
  sample: string;
  /** Defaults to the sample's own namespace name. */
  namespace?: string;
}

/**
 * Restore what drifted: apply again every object MeshStage applied whose managed fields were
 * changed or which was deleted out of band. @public
 */
export interface ReconcileRequest extends LifecycleRequestBase {
  action: 'reconcile';
}

/**
 * Create a revision tag or move it to another revision (Istio, `istioctl tag set`): namespaces
 * and pods labelled `istio.io/rev=<tag>` (for `default` also `istio-injection=enabled`) are
 * injected by that revision; their workloads restart to pick up its proxy. @public
 */
export interface SetRevisionTagRequest extends LifecycleRequestBase {
  action: 'set-tag';
  /** The tag, e.g. `default` or `prod-stable`. */
  tag: string;
  /** The revision it points at, e.g. `1-30-3` (`default` for the revision-less control plane). */
  revision: string;
}

/** Delete a revision tag (refused while namespaces still use it). @public */
export interface RemoveRevisionTagRequest extends LifecycleRequestBase {
  action: 'remove-tag';
  tag: string;
}

/**
 * Replace the mesh's identity issuer with a new one signed by the same trust anchor (Linkerd):
 * workloads keep trusting it, proxies get certificates from the new issuer as theirs renew. @public
 */
export interface RotateIssuerRequest extends LifecycleRequestBase {
  action: 'rotate-issuer';
}

/**
 * A lifecycle request, discriminated by `action`.
 * @public
 */
export type LifecycleRequest =
  | InstallRequest
  | UninstallRequest
  | UpgradeRequest
  | RollbackRequest
  | NamespaceRequest
  | SampleAppRequest
  | ReconcileRequest
  | SetRevisionTagRequest
  | RemoveRevisionTagRequest
  | RotateIssuerRequest;

/** The actions a {@link LifecycleRequest} can name. @public */
export type LifecycleAction = LifecycleRequest['action'];

/**
 * Names one Kubernetes object. `namespace` is absent for cluster-scoped objects.
 * @public
 */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** A full object as it would be applied (apiVersion, kind, metadata and the rest). @public */
export interface PlanObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Server-side apply of a whole object (field manager `meshstage`). @public */
export interface ApplyStep {
  type: 'apply';
  description: string;
  object: PlanObject;
}

/**
 * A JSON merge patch (RFC 7386) of an existing object: `null` removes a field.
 * @public
 */
export interface PatchStep {
  type: 'patch';
  description: string;
  target: ObjectRef;
  patch: Record<string, unknown>;
  /** Why the patch is needed, e.g. `enable sidecar injection`. */
  reason: string;
}

/** Delete an object (absent objects count as deleted). @public */
export interface DeleteStep {
  type: 'delete';
  description: string;
  target: ObjectRef;
}

/**
 * Conditions a wait step can wait for: `Available` (Deployment condition), `RolloutComplete`
 * (what `kubectl rollout status` waits for), `Established` (CRD served), `Deleted` (gone).
 * @public
 */
export type WaitCondition =
  | 'Available'
  | 'RolloutComplete'
  | 'Established'
  | 'Deleted';

/** Wait until an object reaches a condition, failing the step after the timeout. @public */
export interface WaitStep {
  type: 'wait';
  description: string;
  target: ObjectRef;
  condition: WaitCondition;
  timeoutSeconds: number;
}

/**
 * Run a benchmark profile against a canary gate's namespace and record the run with the
 * operation; the backend executes it through its benchmark service, so the run is stored and
 * listed like any other.
 * @public
 */
export interface BenchmarkStep {
  type: 'benchmark';
  description: string;
  /** `baseline`: the stable revision serves the namespace; `candidate`: the new one does. */
  role: 'baseline' | 'candidate';
  namespace: string;
  /** The revision serving the namespace while the profile runs, and its mesh version. */
  revision: string;
  version: string;
  profile: BenchmarkProfileSpec;
  profileId?: string;
}

/**
 * Decide a canary gate from the runs of the benchmark steps before it: go on when the
 * candidate's p99 and error rate rose no more than the budget beyond run-to-run noise; otherwise
 * execute `rollback` (the namespace back to the stable revision) and fail the operation.
 * @public
 */
export interface GateStep {
  type: 'gate';
  description: string;
  namespace: string;
  stable: { revision: string; version: string };
  candidate: { revision: string; version: string };
  budget: CanaryGateBudget;
  /** What moves the namespace back to the stable revision (patch and wait steps). */
  rollback: PlanStep[];
}

/** One step of a {@link Plan}. @public */
export type PlanStep =
  | ApplyStep
  | PatchStep
  | DeleteStep
  | WaitStep
  | BenchmarkStep
  | GateStep;

/**
 * What a lifecycle request will do on a cluster: ordered steps, executed one after the other,
 * each with a human description. Shown as a diff on dry run.
 * @public
 */
export interface Plan {
  request: LifecycleRequest;
  /** One line for lists and audit logs, e.g. `Install Istio 1.24.2 on dev`. */
  summary: string;
  steps: PlanStep[];
}

/** The {@link ObjectRef} of an object. @public */
export function objectRef(object: PlanObject): ObjectRef {
  const { apiVersion, kind } = object;
  const { name, namespace } = object.metadata;
  return namespace
    ? { apiVersion, kind, name, namespace }
    : { apiVersion, kind, name };
}

/** `Kind/namespace/name` or `Kind/name`, as plans and diffs print objects. @public */
export function formatObjectRef(ref: ObjectRef): string {
  return ref.namespace
    ? `${ref.kind}/${ref.namespace}/${ref.name}`
    : `${ref.kind}/${ref.name}`;
}
