/**
 * A Map that holds at most `maxEntries`: setting a key moves it to the end, and past the bound the
 * entry set longest ago goes. The plugin's caches (entities, permission decisions, findings
 * indexes) are bounded this way so a portal with many entities or callers cannot grow them
 * without limit.
 */
export class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();

  constructor(readonly maxEntries: number) {
    if (!(maxEntries >= 1)) {
      throw new RangeError(`maxEntries must be at least 1, got ${maxEntries}`);
    }
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): this {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.maxEntries) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    return this;
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
