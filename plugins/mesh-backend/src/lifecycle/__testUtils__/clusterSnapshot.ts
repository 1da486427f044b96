import type { Plan } from '@meshstage/plugin-mesh-common';
import type { KubeObject, MeshClusterView } from '@meshstage/plugin-mesh-node';
import { kubeResourceOf } from '@meshstage/plugin-mesh-node';

/**
 * Every object of some kinds, keyed `Kind/namespace/name`, reduced to what a user and the plans
 * set: labels, annotations and the body (spec, data, webhooks, rules ...). Status, server metadata
 * and what controllers write (a Deployment's revision annotation) are left out, so two clusters
 * that hold the same desired state compare equal whatever their rollouts went through.
 */
export type ClusterSnapshot = Record<string, unknown>;

/** Annotations controllers write, which say nothing about the desired state. */
const CONTROLLER_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

/** One object as a snapshot holds it. */
export function desiredState(object: KubeObject): Record<string, unknown> {
  const {
    status: _status,
    metadata,
    ...body
  } = object as KubeObject & {
    status?: unknown;
  };
  const annotations = { ...(metadata.annotations ?? {}) };
  for (const a of CONTROLLER_ANNOTATIONS) delete annotations[a];
  return {
    ...body,
    metadata: {
      labels: metadata.labels ?? {},
      annotations,
      ...((metadata as { finalizers?: string[] }).finalizers && {
        finalizers: (metadata as { finalizers?: string[] }).finalizers,
      }),
    },
  };
}

/** The kinds (apiVersion and kind) the steps of some plans name. */
export function planKinds(
  plans: Plan[],
): Array<{ apiVersion: string; kind: string }> {
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const step of plans.flatMap(p => p.steps)) {
    let ref: { apiVersion: string; kind: string } | undefined;
    if (step.type === 'apply') ref = step.object;
    else if ('target' in step) ref = step.target;
    if (ref) {
      kinds.set(`${ref.apiVersion}/${ref.kind}`, {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
      });
    }
  }
  return [...kinds.values()];
}

/** Reads every object of `kinds` (all namespaces) into a {@link ClusterSnapshot}. */
export async function snapshotCluster(
  view: MeshClusterView,
  kinds: Array<{ apiVersion: string; kind: string }>,
): Promise<ClusterSnapshot> {
  const snapshot: ClusterSnapshot = {};
  for (const { apiVersion, kind } of kinds) {
    for (const object of await view.list(kubeResourceOf(apiVersion, kind))) {
      const { name, namespace } = object.metadata;
      snapshot[[kind, namespace, name].filter(Boolean).join('/')] =
        desiredState(object);
    }
  }
  return snapshot;
}

/**
 * Replaces values an operation took from its clock (e.g. a restart's `restartedAt`) with a
 * placeholder, so the state after one run compares equal to the state after another run of the
 * same request.
 */
export function withPlaceholders(
  snapshot: ClusterSnapshot,
  values: Record<string, string>,
): ClusterSnapshot {
  let text = JSON.stringify(snapshot);
  for (const [value, placeholder] of Object.entries(values)) {
    text = text.split(JSON.stringify(value)).join(JSON.stringify(placeholder));
  }
  return JSON.parse(text);
}

/** JSON with object keys sorted, so equal values give equal text whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(
        k =>
          `${JSON.stringify(k)}:${canonical(
            (value as Record<string, unknown>)[k],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** The keys whose objects differ between two snapshots (missing on either side included). */
export function differingKeys(
  a: ClusterSnapshot,
  b: ClusterSnapshot,
): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter(key => canonical(a[key]) !== canonical(b[key]))
    .sort();
}
