import { ObjectApi } from '../api/object-api';
import { ResourceType } from '../api/types';
import { ApiError } from '../server/status';
import { StoreEvent } from '../store/store';
import { Allocators } from './allocators';
import { EventRecorder } from './events';

/** Shared context of the reconcilers. */
export interface ControllerContext {
  api: ObjectApi;
  events: EventRecorder;
  allocators: Allocators;
  log: (line: string) => void;
  now: () => number;
  enqueue(controller: string, key: string, delayMs?: number): void;
  /** The served type for a built-in resource, e.g. type('apps', 'deployments'). */
  type(group: string, plural: string): ResourceType;
}

/**
 * A reconciler: the store collections it follows (mapped to keys of objects to
 * reconcile) and the reconcile step. Reconcilers are level-based and write
 * only when something changes, so an event they cause settles quickly.
 */
export interface Controller {
  readonly name: string;
  readonly watches: Record<string, (e: StoreEvent) => string[]>;
  /** Keys to reconcile at start (existing objects, e.g. after loading state). */
  initialKeys?(ctx: ControllerContext): string[];
  reconcile(key: string, ctx: ControllerContext): void;
  stop?(): void;
}

/**
 * Runs reconcilers from store events: a de-duplicated queue per controller,
 * drained in small batches on the event loop (HTTP stays responsive), with
 * delayed re-queues for timers and conflict retries. No polling.
 */
export class ControllerManager {
  private readonly controllers = new Map<string, Controller>();
  private readonly pending = new Map<string, Set<string>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private scheduled = false;
  private stopped = true;
  private unsubscribe?: () => void;
  readonly ctx: ControllerContext;

  constructor(
    api: ObjectApi,
    events: EventRecorder,
    allocators: Allocators,
    private readonly log: (line: string) => void,
    now: () => number = Date.now,
  ) {
    this.ctx = {
      api,
      events,
      allocators,
      log,
      now,
      enqueue: (c, k, d) => this.enqueue(c, k, d),
      type: (group, plural) => {
        const t = api.registry
          .all()
          .find(x => x.group === group && x.plural === plural);
        if (!t) throw new Error(`no type ${group}/${plural}`);
        return t;
      },
    };
  }

  add(c: Controller): void {
    this.controllers.set(c.name, c);
  }

  start(): void {
    this.stopped = false;
    this.unsubscribe = this.ctx.api.store.subscribe(e => {
      for (const c of this.controllers.values()) {
        const map = c.watches[e.key] ?? c.watches['*'];
        if (!map) continue;
        for (const k of map(e)) this.enqueue(c.name, k);
      }
    });
    for (const c of this.controllers.values())
      for (const k of c.initialKeys?.(this.ctx) ?? []) this.enqueue(c.name, k);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.clear();
    for (const c of this.controllers.values()) c.stop?.();
  }

  enqueue(controller: string, key: string, delayMs = 0): void {
    if (this.stopped) return;
    if (delayMs > 0) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.enqueue(controller, key);
      }, delayMs);
      this.timers.add(t);
      return;
    }
    let s = this.pending.get(controller);
    if (!s) this.pending.set(controller, (s = new Set()));
    s.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.run());
    }
  }

  /** True when no reconcile is queued (tests wait for quiescence). */
  get idle(): boolean {
    for (const s of this.pending.values()) if (s.size) return false;
    return true;
  }

  private run(): void {
    this.scheduled = false;
    if (this.stopped) return;
    let budget = 200;
    for (const [name, keys] of this.pending) {
      const c = this.controllers.get(name)!;
      for (const key of [...keys]) {
        if (budget-- <= 0) break;
        keys.delete(key);
        try {
          c.reconcile(key, this.ctx);
        } catch (e) {
          if (e instanceof ApiError && (e.code === 409 || e.code === 404)) {
            this.enqueue(name, key, 25);
          } else {
            this.log(
              `controller ${name}: ${key}: ${(e as Error)?.stack ?? String(e)}`,
            );
            this.enqueue(name, key, 1000);
          }
        }
      }
    }
    if (!this.idle && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.run());
    }
  }
}
