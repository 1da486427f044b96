import { KubeObject, meta } from '../api/types';
import { StoreEvent } from '../store/store';
import { clone } from '../util/objects';
import { Controller, ControllerContext } from './manager';

const MANAGER = 'generic-garbage-collector';

/**
 * The garbage collector: deletes objects whose owners are all gone,
 * implements foreground deletion (dependents first, then the owner's
 * `foregroundDeletion` finalizer is removed) and orphaning (owner references
 * removed, then the `orphan` finalizer). Keys are `uid:<owner uid>`.
 */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  readonly watches = { '*': (e: StoreEvent) => this.keysFor(e) };

  private keysFor(e: StoreEvent): string[] {
    const keys: string[] = [];
    const m = meta(e.object);
    if (e.type === 'DELETED') {
      keys.push(`uid:${m.uid}`);
      // a dependent went away: a foreground owner may be done
      for (const o of m.ownerReferences ?? []) keys.push(`uid:${o.uid}`);
    } else if (
      m.deletionTimestamp &&
      (m.finalizers ?? []).some(
        f => f === 'foregroundDeletion' || f === 'orphan',
      )
    ) {
      keys.push(`uid:${m.uid}`);
    } else if (e.type === 'ADDED' && (m.ownerReferences ?? []).length) {
      // created with owners that may not exist (e.g. restored state)
      for (const o of m.ownerReferences ?? []) keys.push(`uid:${o.uid}`);
    }
    return keys;
  }

  initialKeys(ctx: ControllerContext): string[] {
    const keys = new Set<string>();
    for (const key of ctx.api.store.keys()) {
      for (const o of ctx.api.store.list(key))
        for (const r of meta(o).ownerReferences ?? []) keys.add(`uid:${r.uid}`);
    }
    return [...keys];
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const uid = key.slice(4);
    const store = ctx.api.store;
    const ownerRef = store.findUid(uid);
    const owner = ownerRef
      ? store.get(ownerRef.key, ownerRef.namespace, ownerRef.name)
      : undefined;
    const dependents = store.dependentsOf(uid);
    if (!owner) {
      for (const d of dependents) this.ownerGone(d, uid, ctx);
      return;
    }
    const om = meta(owner);
    if (!om.deletionTimestamp) return;
    const fins = om.finalizers ?? [];
    if (fins.includes('orphan')) {
      for (const d of dependents) this.removeOwnerRef(d, uid, ctx);
      this.removeFinalizer(ownerRef!.key, owner, 'orphan', ctx);
      return;
    }
    if (fins.includes('foregroundDeletion')) {
      let blocking = 0;
      for (const d of dependents) {
        const obj = store.get(d.key, d.namespace, d.name);
        if (!obj) continue;
        const ref = (meta(obj).ownerReferences ?? []).find(r => r.uid === uid);
        if (ref?.blockOwnerDeletion) blocking++;
        if (!meta(obj).deletionTimestamp)
          this.deleteObject(
            d,
            obj,
            ref?.blockOwnerDeletion ? 'Foreground' : 'Background',
            ctx,
          );
      }
      if (blocking === 0 || store.dependentsOf(uid).length === 0) {
        this.removeFinalizer(ownerRef!.key, owner, 'foregroundDeletion', ctx);
      }
    }
  }

  private typeFor(storageKey: string, ctx: ControllerContext) {
    return ctx.api.registry.byStorageKey(storageKey)[0];
  }

  private ownerGone(
    d: { key: string; namespace: string; name: string },
    uid: string,
    ctx: ControllerContext,
  ): void {
    const obj = ctx.api.store.get(d.key, d.namespace, d.name);
    if (!obj) return;
    const refs = meta(obj).ownerReferences ?? [];
    if (!refs.some(r => r.uid === uid)) return;
    const alive = refs.filter(
      r => r.uid !== uid && ctx.api.store.findUid(r.uid),
    );
    if (alive.length === 0) {
      if (!meta(obj).deletionTimestamp)
        this.deleteObject(d, obj, 'Background', ctx);
    } else {
      this.removeOwnerRef(d, uid, ctx);
    }
  }

  private deleteObject(
    d: { key: string; namespace: string },
    obj: KubeObject,
    policy: 'Background' | 'Foreground',
    ctx: ControllerContext,
  ): void {
    const t = this.typeFor(d.key, ctx);
    if (!t) return;
    try {
      ctx.api.delete(
        t,
        d.namespace,
        meta(obj).name!,
        { propagationPolicy: policy, preconditions: { uid: meta(obj).uid } },
        {},
      );
    } catch {
      // gone or replaced meanwhile
    }
  }

  private removeOwnerRef(
    d: { key: string; namespace: string; name: string },
    uid: string,
    ctx: ControllerContext,
  ): void {
    const obj = ctx.api.store.get(d.key, d.namespace, d.name);
    const t = this.typeFor(d.key, ctx);
    if (!obj || !t) return;
    const next = clone(obj) as KubeObject;
    const m = meta(next);
    m.ownerReferences = (m.ownerReferences ?? []).filter(r => r.uid !== uid);
    if (m.ownerReferences.length === 0) delete m.ownerReferences;
    ctx.api.update(t, d.namespace, d.name, next, {
      fieldManager: MANAGER,
      fieldValidation: 'Ignore',
    });
  }

  private removeFinalizer(
    storageKey: string,
    owner: KubeObject,
    finalizer: string,
    ctx: ControllerContext,
  ): void {
    const t = this.typeFor(storageKey, ctx);
    if (!t) return;
    const next = clone(owner) as KubeObject;
    const m = meta(next);
    m.finalizers = (m.finalizers ?? []).filter(f => f !== finalizer);
    if (m.finalizers.length === 0) delete m.finalizers;
    ctx.api.update(t, m.namespace ?? '', m.name!, next, {
      fieldManager: MANAGER,
      fieldValidation: 'Ignore',
    });
  }
}
