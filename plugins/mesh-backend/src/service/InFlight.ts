/**
 * One call per key at a time: callers arriving while a key's call runs get its promise instead of
 * starting another (a chart download, a repository index refresh, a cluster's findings context).
 * The key is free again once the call settles, whether it succeeded or failed.
 */
export class InFlight<K, V> {
  readonly #calls = new Map<K, Promise<V>>();

  run(key: K, call: () => Promise<V>): Promise<V> {
    let pending = this.#calls.get(key);
    if (!pending) {
      pending = call().finally(() => this.#calls.delete(key));
      this.#calls.set(key, pending);
    }
    return pending;
  }
}
