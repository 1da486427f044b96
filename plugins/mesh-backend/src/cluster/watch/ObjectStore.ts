import type { KubeListOptions, KubeObject } from '@meshstage/plugin-mesh-node';
import {
  parseLabelSelector,
  requirementsMatch,
} from '@meshstage/plugin-mesh-node';
import { BoundedMap } from '../../service/BoundedMap';
import { deepFreeze } from './deepFreeze';

// Every entity status and findings request lists with its entity's selector, several types per
// request: parsed once per selector (a selector that does not parse throws and is not kept).
const parsedSelectors = new BoundedMap<
  string,
  ReturnType<typeof parseLabelSelector>
>(5_000);

function parsedSelector(selector: string) {
  let requirements = parsedSelectors.get(selector);
  if (!requirements) {
    requirements = parseLabelSelector(selector);
    parsedSelectors.set(selector, requirements);
  }
  return requirements;
}

/** A watch event as the API server streams it (`ERROR` events are handled by the reflector). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

/**
 * The objects of one resource type as a watch sees them, keyed by namespace and name: replaced
 * whole by a list, changed by watch events. Objects are stored frozen and without
 * `metadata.managedFields` (the largest part of most objects, read only by drift and planning,
 * which read the cluster directly), so readers share them without copying and cannot change them.
 *
 * Pure: no I/O, no timers.
 */
export class ObjectStore {
  readonly #objects = new Map<string, KubeObject>();
  /** The same objects by namespace: most reads name one (an entity's pods). */
  readonly #byNamespace = new Map<string, Map<string, KubeObject>>();
  readonly #sizes = new Map<string, number>();
  #bytes = 0;
  #changes = 0;

  constructor(
    /** Filled into list items, which the API server sends without them. */
    private readonly apiVersion: string,
    private readonly kind: string,
  ) {}

  /** How many objects are held. */
  get size(): number {
    return this.#objects.size;
  }

  /** How many times the store changed: equal counts, equal contents. */
  get changes(): number {
    return this.#changes;
  }

  /** Approximate memory held: the JSON length of the stored objects. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Replaces everything with a list's items. An empty list over an empty store is no change: a
   * type the cluster does not serve is listed again every few seconds, and readers keep what they
   * derived from the view until `changes` moves.
   */
  replace(items: ReadonlyArray<Record<string, unknown>>): void {
    if (items.length === 0 && this.#objects.size === 0) return;
    this.#changes++;
    this.#objects.clear();
    this.#byNamespace.clear();
    this.#sizes.clear();
    this.#bytes = 0;
    for (const item of items) this.#put(item);
  }

  /** Applies one watch event; a repeated event leaves the same state (reconnects may replay). */
  apply(event: StoreEvent): void {
    this.#changes++;
    if (event.type === 'DELETED') {
      const key = keyOf(event.object);
      this.#bytes -= this.#sizes.get(key) ?? 0;
      this.#sizes.delete(key);
      this.#objects.delete(key);
      const namespace = event.object.metadata?.namespace ?? '';
      const inNamespace = this.#byNamespace.get(namespace);
      inNamespace?.delete(key);
      if (inNamespace?.size === 0) this.#byNamespace.delete(namespace);
      return;
    }
    this.#put(event.object);
  }

  /**
   * The objects a list call with these options would return, in namespace and name order like
   * the API server's. Throws on a label selector the API server would reject.
   */
  list<T extends KubeObject = KubeObject>(options?: KubeListOptions): T[] {
    const requirements = options?.labelSelector
      ? parsedSelector(options.labelSelector)
      : [];
    const out: T[] = [];
    const candidates = options?.namespace
      ? this.#byNamespace.get(options.namespace)?.values() ?? []
      : this.#objects.values();
    for (const object of candidates) {
      if (
        requirements.length &&
        !requirementsMatch(requirements, object.metadata.labels ?? {})
      ) {
        continue;
      }
      out.push(object as T);
    }
    return out.sort(compareObjects);
  }

  #put(raw: Record<string, unknown>): void {
    const object = trimmed(raw, this.apiVersion, this.kind);
    const key = keyOf(object);
    const size = JSON.stringify(object).length;
    this.#bytes += size - (this.#sizes.get(key) ?? 0);
    this.#sizes.set(key, size);
    const frozen = deepFreeze(object);
    this.#objects.set(key, frozen);
    const namespace = object.metadata.namespace ?? '';
    let inNamespace = this.#byNamespace.get(namespace);
    if (!inNamespace) {
      inNamespace = new Map();
      this.#byNamespace.set(namespace, inNamespace);
    }
    inNamespace.set(key, frozen);
  }
}

function keyOf(object: { metadata?: { namespace?: string; name?: string } }) {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a2 = a.metadata.name;
  const b2 = b.metadata.name;
  if (a2 === b2) return 0;
  return a2 < b2 ? -1 : 1;
}

/** The object as stored: apiVersion and kind filled in, managedFields left out. */
function trimmed(
  raw: Record<string, unknown>,
  apiVersion: string,
  kind: string,
): KubeObject {
  const metadata = { ...(raw.metadata as Record<string, unknown>) };
  delete metadata.managedFields;
  return {
    ...raw,
    apiVersion: (raw.apiVersion as string) || apiVersion,
    kind: (raw.kind as string) || kind,
    metadata,
  } as KubeObject;
}
