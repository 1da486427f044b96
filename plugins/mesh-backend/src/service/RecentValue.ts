/**
 * A value read at most once per `ttlMs` and rarely waited for: the first caller waits for the
 * first read; after that callers get the last value at once, and a value older than `ttlMs` is
 * read again in the background (one read at a time). Only a value older than ten times `ttlMs`
 * (nobody asked for a while) is waited for again, so no answer is staler than that. A failed
 * read keeps the last value; with none yet, it fails its callers and the next caller reads
 * again. For inputs many requests need and none needs to the second (the onboarding's catalog
 * neighbours and operation history behind every entity status).
 *
 * With `contentKey`, a read whose content is the same as the last value's keeps the last value's
 * object, so that what readers derived from it and keep under its identity stays valid (each
 * entity's onboarding comparison is kept until the history or the neighbours really change, not
 * each time they are read again).
 */
export class RecentValue<T> {
  #value?: { value: T; at: number; key?: string };
  #pending?: Promise<T>;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly contentKey?: (value: T) => string,
  ) {}

  get(): Promise<T> {
    const current = this.#value;
    const age = current ? Date.now() - current.at : Infinity;
    if (!current || age > this.ttlMs * 10) return this.#refresh();
    if (age > this.ttlMs) {
      this.#refresh().catch(() => undefined);
    }
    return Promise.resolve(current.value);
  }

  #refresh(): Promise<T> {
    this.#pending ??= this.read()
      .then(value => {
        const key = this.contentKey?.(value);
        const last = this.#value;
        const kept = last && key !== undefined && last.key === key;
        this.#value = { value: kept ? last.value : value, at: Date.now(), key };
        return this.#value.value;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}
