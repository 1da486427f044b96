/**
 * A value read at most once per `ttlMs`: callers within that time share the last result, and
 * callers while a read is in flight share that read. A failed read is not kept. For inputs many
 * requests need and none needs to the millisecond (the onboarding's catalog neighbours and
 * operation history behind every entity status).
 */
export class RecentValue<T> {
  #value?: { value: T; at: number };
  #pending?: Promise<T>;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<T> {
    if (this.#value && Date.now() - this.#value.at <= this.ttlMs) {
      return Promise.resolve(this.#value.value);
    }
    this.#pending ??= this.read()
      .then(value => {
        this.#value = { value, at: Date.now() };
        return value;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }
}
