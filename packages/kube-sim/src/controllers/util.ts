import { KubeObject, meta, OwnerReference, ResourceType } from '../api/types';
import { Store, StoreEvent } from '../store/store';
import {
  canonicalJson,
  clone,
  deepEqual,
  isObject,
  JsonObject,
} from '../util/objects';
import type { ControllerContext } from './manager';
import { fnv32a, safeEncode } from '../util/random';

export const MANAGER = 'kube-controller-manager';

export function keyOf(o: KubeObject): string {
  const m = meta(o);
  return m.namespace ? `${m.namespace}/${m.name}` : String(m.name);
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function controllerRef(o: KubeObject): OwnerReference | undefined {
  return (meta(o).ownerReferences ?? []).find(r => r.controller);
}

/** Maps events of owned objects to the key of their controller of the given kind. */
export function ownerKeys(kind: string) {
  return (e: StoreEvent): string[] => {
    const out = new Set<string>();
    for (const o of [e.object, e.old]) {
      if (!o) continue;
      const ref = controllerRef(o);
      if (ref && ref.kind === kind) out.add(`${meta(o).namespace}/${ref.name}`);
    }
    return [...out];
  };
}

export function selfKey(e: StoreEvent): string[] {
  return [keyOf(e.object)];
}

/** Objects of a collection controlled (controller owner reference) by uid. */
export function controlledBy(
  store: Store,
  storageKey: string,
  uid: string,
): KubeObject[] {
  const out: KubeObject[] = [];
  for (const ref of store.dependentsOf(uid)) {
    if (ref.key !== storageKey) continue;
    const o = store.get(ref.key, ref.namespace, ref.name);
    if (o && controllerRef(o)?.uid === uid) out.push(o);
  }
  return out;
}

export function ownerReference(owner: KubeObject): OwnerReference {
  const m = meta(owner);
  return {
    apiVersion: String(owner.apiVersion),
    kind: String(owner.kind),
    name: m.name!,
    uid: m.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function podPhase(p: KubeObject): string {
  return String((p.status as JsonObject | undefined)?.phase ?? 'Pending');
}

export function isPodReady(p: KubeObject): boolean {
  const conds = (p.status as JsonObject | undefined)?.conditions;
  return (
    Array.isArray(conds) &&
    conds.some(c => isObject(c) && c.type === 'Ready' && c.status === 'True')
  );
}

export function isActivePod(p: KubeObject): boolean {
  const phase = podPhase(p);
  return (
    !meta(p).deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed'
  );
}

/** The pod-template-hash of a template (FNV-32a of its canonical JSON, safe-encoded as the real controller does). */
export function templateHash(template: unknown, collisionCount = 0): string {
  const t = clone(template) as JsonObject;
  const labels = isObject(t?.metadata)
    ? ((t.metadata as JsonObject).labels as JsonObject | undefined)
    : undefined;
  if (labels) delete labels['pod-template-hash'];
  return safeEncode(
    fnv32a(canonicalJson(t) + (collisionCount ? String(collisionCount) : '')),
  );
}

/** Template equality ignoring the pod-template-hash label. */
export function templatesEqual(a: unknown, b: unknown): boolean {
  const strip = (t: unknown) => {
    const c = clone(t) as JsonObject;
    if (isObject(c?.metadata)) {
      const md = c.metadata as JsonObject;
      if (isObject(md.labels)) {
        delete (md.labels as JsonObject)['pod-template-hash'];
        if (Object.keys(md.labels as JsonObject).length === 0) delete md.labels;
      }
    }
    return canonicalJson(c);
  };
  return strip(a) === strip(b);
}

/** Builds a pod from a template for a controller. */
export function podFromTemplate(
  template: unknown,
  owner: KubeObject,
  extra: {
    name?: string;
    generateName?: string;
    labels?: Record<string, string>;
  },
): KubeObject {
  const t = (clone(template) ?? {}) as JsonObject;
  const tm = (isObject(t.metadata) ? t.metadata : {}) as JsonObject;
  const m = meta(owner);
  const metadata: JsonObject = {
    ...(extra.name
      ? { name: extra.name }
      : { generateName: extra.generateName }),
    namespace: m.namespace,
    labels: {
      ...((tm.labels as Record<string, string>) ?? {}),
      ...(extra.labels ?? {}),
    },
    ownerReferences: [ownerReference(owner)],
  };
  if (isObject(tm.annotations)) metadata.annotations = tm.annotations;
  if (Array.isArray(tm.finalizers)) metadata.finalizers = tm.finalizers;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: t.spec ?? {} };
}

/** Resolves an int-or-percent against a total (maxSurge rounds up, maxUnavailable down). */
export function intOrPercent(
  v: unknown,
  total: number,
  roundUp: boolean,
): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const f = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(f) : Math.floor(f);
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

/** Updates (or adds) a condition, keeping lastTransitionTime when status did not change. */
export function setCondition(
  conds: JsonObject[],
  next: JsonObject,
  now: string,
  updateTimeField?: string,
): JsonObject[] {
  const out = conds.map(c => ({ ...c }));
  const i = out.findIndex(c => c.type === next.type);
  const prev = i >= 0 ? out[i] : undefined;
  const c: JsonObject = { ...next };
  c.lastTransitionTime =
    prev && prev.status === next.status ? prev.lastTransitionTime : now;
  if (updateTimeField) {
    c[updateTimeField] =
      prev &&
      prev.status === next.status &&
      prev.reason === next.reason &&
      prev.message === next.message
        ? prev[updateTimeField]
        : now;
  }
  if (i >= 0) out[i] = c;
  else out.push(c);
  return out;
}

/**
 * Creates a pod a workload controls and records `SuccessfulCreate` on the workload, as
 * kube-controller-manager does. `message` overrides the event text (StatefulSets word it their own
 * way).
 */
export function createControlledPod(
  ctx: ControllerContext,
  owner: KubeObject,
  pod: KubeObject,
  component: string,
  message = (created: KubeObject) => `Created pod: ${meta(created).name}`,
): KubeObject {
  const created = ctx.api.create(
    ctx.type('', 'pods'),
    meta(owner).namespace!,
    pod,
    { fieldManager: MANAGER, fieldValidation: 'Ignore' },
  );
  ctx.events.record(
    owner,
    'Normal',
    'SuccessfulCreate',
    message(created),
    component,
  );
  return created;
}

/**
 * Writes an object's status subresource when it differs from the stored one: reconcilers are
 * level-based, so a write that changes nothing would only trigger another round.
 */
export function writeStatusIfChanged(
  ctx: ControllerContext,
  type: ResourceType,
  obj: KubeObject,
  status: JsonObject,
  fieldManager = MANAGER,
): void {
  if (deepEqual(status, obj.status)) return;
  ctx.api.update(
    type,
    meta(obj).namespace ?? '',
    meta(obj).name!,
    { ...obj, status },
    { fieldManager },
    'status',
  );
}
