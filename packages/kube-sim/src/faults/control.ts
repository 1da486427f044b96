import type { FaultLayer } from './http';
import type { FaultInjector, FaultRuleStats, InjectedFault } from './injector';
import {
  type CutPoint,
  ERROR_FAULTS,
  type ErrorFaultKind,
  type FaultScope,
  type FaultSpec,
  FaultSpecError,
  KUBE_VERBS,
  parseFaultSpec,
} from './spec';

/** What {@link KubeSimFaults.failNext} injects. */
export interface FailNextOptions {
  /** The error status to answer with, or `cut` to cut the connection. */
  status: 403 | 409 | 422 | 429 | 500 | 503 | 504 | 'cut';
  /** `Retry-After` seconds, for 429 (default 1), 503 and 504. */
  retryAfter?: number;
  /** For `cut`: where (default `body`: after the request was served, halfway through the answer). */
  cutAt?: CutPoint;
  /** How many matching requests get it (default 1). */
  count?: number;
  /** Which requests; every request when absent. */
  match?: FaultScope;
}

/**
 * The fault mode of a running kube-sim, for tests: rules in the `--faults` language, one-off
 * failures, watch drops, and the record of what was injected. See the README, "Faults".
 */
export interface KubeSimFaults {
  /** Replaces every rule with those of a spec (the `--faults` language); throws on a bad spec. */
  set(spec: string): void;
  /** Adds a spec's rules after the current ones. */
  add(spec: string): void;
  /** Removes every rule (and a `restart=` schedule); the record stays. */
  clear(): void;
  /** The next `count` (1) matching requests get this fault, before any spec rule is consulted. */
  failNext(options: FailNextOptions): void;
  /** Drops the open watches now (those in `match`'s scope): `reset` (default) or a clean `end`. Returns how many. */
  dropWatches(options?: { mode?: 'reset' | 'end'; match?: FaultScope }): number;
  /** Every fault injected so far, oldest first. */
  readonly injected: readonly InjectedFault[];
  /** Per rule: requests matched (attempts), acted on, faults injected. */
  stats(): FaultRuleStats[];
  /** The seed of the current choices; put it in the spec (`seed=`) to repeat a run. */
  readonly seed: number;
}

const STATUS_FAULTS = Object.fromEntries(
  Object.entries(ERROR_FAULTS).map(([kind, status]) => [status, kind]),
) as Record<number, ErrorFaultKind>;

function checkScope(scope: FaultScope | undefined): FaultScope {
  for (const verb of scope?.verbs ?? []) {
    if (!(KUBE_VERBS as readonly string[]).includes(verb))
      throw new FaultSpecError(
        `failNext: unknown verb "${verb}" (${KUBE_VERBS.join(', ')})`,
      );
  }
  return { ...scope };
}

/** The test API over an injector and the HTTP layer; `onRestart` (re)schedules `restart=`. */
export function faultControl(
  injector: FaultInjector,
  layer: FaultLayer,
  onRestart: (schedule: FaultSpec['restart']) => void,
): KubeSimFaults {
  return {
    set(spec) {
      const parsed = parseFaultSpec(spec);
      injector.set(parsed);
      onRestart(parsed.restart);
    },
    add(spec) {
      const parsed = parseFaultSpec(spec);
      injector.add(parsed);
      if (parsed.restart) onRestart(parsed.restart);
    },
    clear() {
      injector.clear();
      onRestart(undefined);
    },
    failNext(o) {
      const count = o.count ?? 1;
      if (!Number.isInteger(count) || count < 1)
        throw new FaultSpecError(
          `failNext: count must be a whole number of at least 1, got ${count}`,
        );
      if (
        o.retryAfter !== undefined &&
        !(Number.isInteger(o.retryAfter) && o.retryAfter >= 0)
      )
        throw new FaultSpecError(
          `failNext: retryAfter must be whole seconds, got ${o.retryAfter}`,
        );
      const kind = o.status === 'cut' ? 'cut' : STATUS_FAULTS[o.status];
      if (!kind)
        throw new FaultSpecError(
          `failNext: status ${String(
            o.status,
          )} is not one kube-sim injects (${Object.keys(STATUS_FAULTS).join(
            ', ',
          )} or 'cut')`,
        );
      injector.prepend({
        text: `failNext(${JSON.stringify(o)})`,
        faults: [
          {
            kind,
            probability: 1,
            ...(kind === 'cut' ? { cutAt: o.cutAt ?? 'body' } : {}),
            ...(o.retryAfter !== undefined || kind === 'throttle429'
              ? { retryAfterSeconds: o.retryAfter ?? 1 }
              : {}),
          },
        ],
        scope: checkScope(o.match),
        skip: 0,
        count,
      });
    },
    dropWatches(options) {
      return layer.dropWatches(options);
    },
    get injected() {
      return injector.injected;
    },
    stats() {
      return injector.stats();
    },
    get seed() {
      return injector.seed;
    },
  };
}
