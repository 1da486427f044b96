import type { KubeObject, KubePodSpec } from './kube';
import type { Snapshot } from './analysis';

/** A pod template inside a workload (or a Pod itself) and where it sits in the object. @public */
export interface PodTemplateRef {
  /** The object that carries the template. */
  owner: KubeObject;
  /** Labels the template's pods get. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: KubePodSpec;
  /** JSON pointer of the template's metadata (`''` for a Pod, whose metadata is its own). */
  metadataPath: string;
  /** JSON pointer of the pod spec, e.g. `/spec/template/spec`. */
  specPath: string;
}

/** The workload kinds whose pod templates analyzers read. @public */
export const WORKLOAD_INPUTS = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'batch/v1', kind: 'CronJob' },
] as const;

/**
 * The pod template of a workload object, or the pod itself; `undefined` for other kinds.
 * @public
 */
export function podTemplateOf(obj: KubeObject): PodTemplateRef | undefined {
  const spec = obj.spec as Record<string, any> | undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') {
    return {
      owner: obj,
      labels: obj.metadata.labels ?? {},
      annotations: obj.metadata.annotations ?? {},
      spec: spec as KubePodSpec,
      metadataPath: '/metadata',
      specPath: '/spec',
    };
  }
  let template: Record<string, any> | undefined;
  let base: string;
  if (obj.kind === 'CronJob') {
    template = spec.jobTemplate?.spec?.template;
    base = '/spec/jobTemplate/spec/template';
  } else if (
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(
      obj.kind,
    )
  ) {
    template = spec.template;
    base = '/spec/template';
  } else {
    return undefined;
  }
  if (!template?.spec) return undefined;
  return {
    owner: obj,
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    spec: template.spec,
    metadataPath: `${base}/metadata`,
    specPath: `${base}/spec`,
  };
}

/**
 * Every pod template in a snapshot, one per workload: Pods created by a controller are left out
 * when their controller is in the snapshot too, so a problem is reported once, on the object the
 * user writes.
 * @public
 */
export function podTemplates(
  snapshot: Snapshot,
  namespace?: string,
): PodTemplateRef[] {
  const out: PodTemplateRef[] = [];
  for (const input of WORKLOAD_INPUTS) {
    for (const obj of snapshot.list(input.apiVersion, input.kind, namespace)) {
      if (obj.kind === 'Pod' && obj.metadata.ownerReferences?.length) continue;
      const t = podTemplateOf(obj);
      if (t) out.push(t);
    }
  }
  return out;
}

/**
 * Whether labels satisfy a `matchLabels` map (and `matchExpressions`, when given). An empty or
 * absent selector matches everything, as Kubernetes and Istio read it.
 * @public
 */
export function selectorMatches(
  selector:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: Array<{
          key: string;
          operator: string;
          values?: string[];
        }>;
      }
    | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a plain label map (Service `spec.selector`, Istio `matchLabels`) matches labels. @public */
export function labelsMatch(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return selectorMatches({ matchLabels: selector ?? {} }, labels);
}

/** Pod templates of one scope (a namespace, or all), indexed by `key=value` label. */
interface TemplateScope {
  all: PodTemplateRef[];
  byLabel: Map<string, PodTemplateRef[]>;
}

/**
 * Built once per snapshot (snapshots are immutable), so a rule that resolves a selector per
 * resource costs a lookup instead of a scan of every workload of the namespace: without it,
 * selector checks grow with the square of a namespace's size.
 */
const templateIndexes = new WeakMap<Snapshot, Map<string, TemplateScope>>();

function templateScope(snapshot: Snapshot, namespace?: string): TemplateScope {
  let scopes = templateIndexes.get(snapshot);
  if (!scopes) {
    scopes = new Map();
    templateIndexes.set(snapshot, scopes);
  }
  const key = namespace === undefined ? '' : `ns:${namespace}`;
  let scope = scopes.get(key);
  if (!scope) {
    const all = podTemplates(snapshot, namespace);
    const byLabel = new Map<string, PodTemplateRef[]>();
    for (const t of all) {
      for (const [k, v] of Object.entries(t.labels)) {
        const lk = `${k}=${v}`;
        const list = byLabel.get(lk);
        if (list) list.push(t);
        else byLabel.set(lk, [t]);
      }
    }
    scope = { all, byLabel };
    scopes.set(key, scope);
  }
  return scope;
}

/**
 * The pod templates of a namespace (all namespaces when `namespace` is undefined) that a label
 * selector matches, in {@link podTemplates} order, through an index built once per snapshot. An
 * empty or absent selector matches every template, as in {@link selectorMatches}.
 * @public
 */
export function podTemplatesMatching(
  snapshot: Snapshot,
  selector: Parameters<typeof selectorMatches>[0],
  namespace?: string,
): PodTemplateRef[] {
  const scope = templateScope(snapshot, namespace);
  const first = Object.entries(selector?.matchLabels ?? {})[0];
  const candidates = first
    ? scope.byLabel.get(`${first[0]}=${first[1]}`) ?? []
    : scope.all;
  return candidates.filter(t => selectorMatches(selector, t.labels));
}
