import type { OnboardingFix } from '@meshstage/plugin-mesh-common';
import { type AttemptRefusal, fixKey } from './backoff';

/**
 * Automatic attempts refused before an operation existed (the planner rejected the request, the
 * permission was denied), per entity and fix. In memory, in the instance that ran the tick: there
 * is no operation row to keep them, and losing them on a restart or to another instance costs one
 * early retry at most. Failed operations need nothing here: their rows are the record.
 */
export class RefusalBook {
  readonly #refusals = new Map<string, AttemptRefusal>();

  get(entityRef: string, fix: OnboardingFix): AttemptRefusal | undefined {
    return this.#refusals.get(key(entityRef, fix));
  }

  record(entityRef: string, fix: OnboardingFix, error: string, at: Date) {
    const previous = this.get(entityRef, fix);
    this.#refusals.set(key(entityRef, fix), {
      at: at.toISOString(),
      failures: (previous?.failures ?? 0) + 1,
      error,
    });
  }

  clear(entityRef: string, fix: OnboardingFix) {
    this.#refusals.delete(key(entityRef, fix));
  }
}

function key(entityRef: string, fix: OnboardingFix): string {
  return `${entityRef}|${fixKey(fix)}`;
}
