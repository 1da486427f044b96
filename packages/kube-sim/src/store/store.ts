import { KubeObject, meta } from '../api/types';
import { deepFreeze } from '../util/objects';
import { RingBuffer } from './history';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change in the store, as replayed to watches. */
export interface StoreEvent {
  type: EventType;
  /** Storage key of the collection (`apps/deployments`). */
  key: string;
  rv: number;
  object: KubeObject;
  /** The previous version (MODIFIED and DELETED), for selector transitions. */
  old?: KubeObject;
}

export class ResourceVersionTooOld extends Error {}

export interface StoredItem {
  key: string;
  object: KubeObject;
}

/** A stable reference to a stored object. */
export interface ObjectRef {
  key: string;
  namespace: string;
  name: string;
}

function refString(key: string, ns: string, name: string): string {
  return `${key}\u0000${ns}\u0000${name}`;
}

export function parseRef(s: string): ObjectRef {
  const [key, namespace, name] = s.split('\u0000');
  return { key, namespace, name };
}

/**
 * The in-memory object store: collections keyed by storage key, then
 * namespace, then name. Every write takes the next resourceVersion from one
 * global counter (so any RV is a valid resume point), is recorded in a bounded
 * history for watches, and is announced to subscribers synchronously. Stored
 * objects are frozen: callers copy before editing.
 */
export class Store {
  private rv = 0;
  private floor = 0;
  private readonly data = new Map<
    string,
    Map<string, Map<string, KubeObject>>
  >();
  private readonly history: RingBuffer<StoreEvent>;
  private readonly subscribers = new Set<(e: StoreEvent) => void>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly uids = new Map<string, string>();

  constructor(historySize = 10000) {
    this.history = new RingBuffer(historySize);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  get(key: string, namespace: string, name: string): KubeObject | undefined {
    return this.data.get(key)?.get(namespace)?.get(name);
  }

  /** Objects of a collection, in one namespace or all, sorted by namespace then name. */
  list(key: string, namespace?: string): KubeObject[] {
    const coll = this.data.get(key);
    if (!coll) return [];
    const out: KubeObject[] = [];
    const namespaces =
      namespace !== undefined ? [namespace] : [...coll.keys()].sort();
    for (const ns of namespaces) {
      const m = coll.get(ns);
      if (!m) continue;
      const names = [...m.keys()].sort();
      for (const n of names) out.push(m.get(n)!);
    }
    return out;
  }

  /** Number of objects of a collection in a namespace (cheap existence checks). */
  count(key: string, namespace?: string): number {
    const coll = this.data.get(key);
    if (!coll) return 0;
    if (namespace !== undefined) return coll.get(namespace)?.size ?? 0;
    let n = 0;
    for (const m of coll.values()) n += m.size;
    return n;
  }

  keys(): string[] {
    return [...this.data.keys()];
  }

  /** Objects whose ownerReferences name this uid. */
  dependentsOf(uid: string): ObjectRef[] {
    return [...(this.dependents.get(uid) ?? [])].map(parseRef);
  }

  /** Where the object with this uid lives, if it exists. */
  findUid(uid: string): ObjectRef | undefined {
    const r = this.uids.get(uid);
    return r ? parseRef(r) : undefined;
  }

  /** Stores a new or changed object, assigning the next resourceVersion. */
  put(key: string, object: KubeObject): KubeObject {
    const m = meta(object);
    const ns = m.namespace ?? '';
    const name = m.name!;
    const old = this.get(key, ns, name);
    const rv = ++this.rv;
    const stored = deepFreeze({
      ...object,
      metadata: { ...m, resourceVersion: String(rv) },
    });
    this.insert(key, ns, name, stored, old);
    this.emit({
      type: old ? 'MODIFIED' : 'ADDED',
      key,
      rv,
      object: stored,
      old,
    });
    return stored;
  }

  /** Removes an object; the DELETED event carries a fresh resourceVersion. */
  remove(key: string, namespace: string, name: string): KubeObject | undefined {
    const old = this.get(key, namespace, name);
    if (!old) return undefined;
    const rv = ++this.rv;
    this.unindex(key, namespace, name, old);
    this.data.get(key)!.get(namespace)!.delete(name);
    if (this.data.get(key)!.get(namespace)!.size === 0)
      this.data.get(key)!.delete(namespace);
    const gone = deepFreeze({
      ...old,
      metadata: { ...meta(old), resourceVersion: String(rv) },
    });
    this.emit({ type: 'DELETED', key, rv, object: gone, old });
    return gone;
  }

  /**
   * Events after `rv`, oldest first. Throws ResourceVersionTooOld when events
   * after `rv` have already been dropped (or predate a restart).
   */
  eventsSince(rv: number): StoreEvent[] {
    if (rv < this.floor)
      throw new ResourceVersionTooOld(
        `too old resource version: ${rv} (${this.floor})`,
      );
    const first = this.history.first();
    if (
      first &&
      rv < first.rv - 1 &&
      this.history.size === this.history.capacity
    ) {
      throw new ResourceVersionTooOld(
        `too old resource version: ${rv} (${first.rv - 1})`,
      );
    }
    if (rv >= this.rv) return [];
    return this.history.fromFirstMatching(e => e.rv > rv);
  }

  /**
   * Forgets the watch history, as a restarted API server whose watch cache starts at the current
   * resourceVersion: resuming from an older version gets 410 Gone, from the current one works.
   */
  compact(): void {
    this.floor = this.rv;
  }

  /** All objects, for persistence. */
  snapshot(): { resourceVersion: number; items: StoredItem[] } {
    const items: StoredItem[] = [];
    for (const key of [...this.data.keys()].sort())
      for (const o of this.list(key)) items.push({ key, object: o });
    return { resourceVersion: this.rv, items };
  }

  /** Loads persisted objects without events; older watch positions become 410 Gone. */
  load(state: { resourceVersion: number; items: StoredItem[] }): void {
    for (const { key, object } of state.items) {
      const m = meta(object);
      this.insert(
        key,
        m.namespace ?? '',
        m.name!,
        deepFreeze(object),
        undefined,
      );
    }
    this.rv = Math.max(this.rv, state.resourceVersion);
    this.floor = this.rv;
  }

  private insert(
    key: string,
    ns: string,
    name: string,
    obj: KubeObject,
    old: KubeObject | undefined,
  ): void {
    if (old) this.unindex(key, ns, name, old);
    let coll = this.data.get(key);
    if (!coll) this.data.set(key, (coll = new Map()));
    let m = coll.get(ns);
    if (!m) coll.set(ns, (m = new Map()));
    m.set(name, obj);
    const ref = refString(key, ns, name);
    const md = meta(obj);
    if (md.uid) this.uids.set(md.uid, ref);
    for (const o of md.ownerReferences ?? []) {
      let s = this.dependents.get(o.uid);
      if (!s) this.dependents.set(o.uid, (s = new Set()));
      s.add(ref);
    }
  }

  private unindex(
    key: string,
    ns: string,
    name: string,
    obj: KubeObject,
  ): void {
    const ref = refString(key, ns, name);
    const md = meta(obj);
    if (md.uid && this.uids.get(md.uid) === ref) this.uids.delete(md.uid);
    for (const o of md.ownerReferences ?? []) {
      const s = this.dependents.get(o.uid);
      s?.delete(ref);
      if (s && s.size === 0) this.dependents.delete(o.uid);
    }
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    for (const fn of [...this.subscribers]) {
      try {
        fn(e);
      } catch {
        // a failing subscriber must not break writes
      }
    }
  }
}
