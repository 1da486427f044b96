import { randomInt } from 'node:crypto';
import { seededRandom } from './prng';
import {
  ERROR_FAULTS,
  type FaultRule,
  type FaultSpec,
  type TerminalFault,
  type TerminalFaultKind,
} from './spec';
import { faultApplies, type FaultTarget, inScope } from './target';

/** What happens to one request. */
export interface FaultDecision {
  /** Delay before it is served (or failed). */
  latencyMs: number;
  /** The error or cut it gets instead of (or, for a cut after headers, in the middle of) its answer. */
  fault?: TerminalFault;
  /** For a watch: when and how its stream is dropped. */
  dropWatch?: { afterMs: number; mode: 'reset' | 'end' };
  /** The rule that chose `fault` (or the drop), as written. */
  rule?: string;
}

/** One fault kube-sim injected, for tests to count and show. */
export interface InjectedFault {
  /** 1, 2, 3 ... in the order they happened. */
  seq: number;
  kind: TerminalFaultKind | 'latency' | 'dropWatch';
  /** The HTTP status answered, for error faults. */
  status?: number;
  /** Milliseconds, for latency. */
  ms?: number;
  method: string;
  verb: string;
  path: string;
  resource?: string;
  namespace?: string;
  name?: string;
  /** The rule that injected it, as written. */
  rule: string;
}

/** How often a rule matched a request and acted on one. */
export interface FaultRuleStats {
  rule: string;
  /** Requests in the rule's scope (skipped and after `count` included): attempts seen. */
  matched: number;
  /** Requests the rule acted on (after `skip`, up to `count`). */
  applied: number;
  /** Terminal faults and watch drops it caused. */
  injected: number;
}

interface RuleState {
  rule: FaultRule;
  matched: number;
  applied: number;
  injected: number;
}

const HISTORY_LIMIT = 10_000;

/** A rule applies to a request when the request is in its scope and one of its faults can happen to it. */
function applicable(rule: FaultRule, t: FaultTarget): boolean {
  if (!inScope(rule.scope, t)) return false;
  if (rule.latency) return true;
  if (rule.dropWatch && t.verb === 'watch') return true;
  return rule.faults.some(f => faultApplies(f.kind, t));
}

/**
 * Decides, request by request, which faults happen: the rules in order (those added with
 * {@link FaultInjector.prepend} first), each counting the requests in its scope, acting on them
 * after `skip` and up to `count`, adding its latency and drawing at most one terminal fault from
 * the seeded generator; the first terminal fault drawn ends the walk. No I/O: the HTTP layer
 * carries decisions out.
 */
export class FaultInjector {
  #urgent: RuleState[] = [];
  #rules: RuleState[] = [];
  #random: () => number = Math.random;
  #seed = 0;
  #seq = 0;
  readonly #history: InjectedFault[] = [];

  constructor(spec?: FaultSpec) {
    this.set(spec ?? { rules: [] });
  }

  /** The seed of the current choices (given in the spec, or drawn at random). */
  get seed(): number {
    return this.#seed;
  }

  /** Whether any rule is set: without one, requests pass untouched. */
  get active(): boolean {
    return this.#urgent.length > 0 || this.#rules.length > 0;
  }

  /** Replaces every rule (and reseeds). */
  set(spec: FaultSpec): void {
    this.#urgent = [];
    this.#rules = spec.rules.map(state);
    this.#reseed(spec.seed);
  }

  /** Adds rules after the current ones; a seed in `spec` reseeds. */
  add(spec: FaultSpec): void {
    this.#rules.push(...spec.rules.map(state));
    if (spec.seed !== undefined) this.#reseed(spec.seed);
  }

  /** Adds a rule that goes before the spec's rules (after earlier prepended ones): `failNext`. */
  prepend(rule: FaultRule): void {
    this.#urgent.push(state(rule));
  }

  /** Removes every rule; the record of injected faults stays. */
  clear(): void {
    this.#urgent = [];
    this.#rules = [];
  }

  /** Faults injected so far, oldest first (the last 10000). */
  get injected(): readonly InjectedFault[] {
    return this.#history;
  }

  stats(): FaultRuleStats[] {
    return [...this.#urgent, ...this.#rules].map(s => ({
      rule: s.rule.text,
      matched: s.matched,
      applied: s.applied,
      injected: s.injected,
    }));
  }

  decide(t: FaultTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const s of [...this.#urgent, ...this.#rules]) {
      const { rule } = s;
      if (!applicable(rule, t)) continue;
      s.matched++;
      if (s.matched <= rule.skip) continue;
      if (rule.count !== undefined && s.applied >= rule.count) continue;
      s.applied++;
      if (rule.latency) {
        const { minMs, maxMs } = rule.latency;
        const ms = Math.round(minMs + (maxMs - minMs) * this.#random());
        decision.latencyMs += ms;
        if (ms > 0) this.record(t, { kind: 'latency', ms, rule: rule.text });
      }
      if (rule.dropWatch && t.verb === 'watch' && !decision.dropWatch) {
        decision.dropWatch = rule.dropWatch;
        decision.rule ??= rule.text;
        s.injected++;
      }
      if (rule.faults.length) {
        // One draw per rule acting, whatever it picks, so a seed gives the same sequence.
        const draw = this.#random();
        let upTo = 0;
        const picked = rule.faults.find(f => draw < (upTo += f.probability));
        if (picked && faultApplies(picked.kind, t)) {
          decision.fault = picked;
          decision.rule = rule.text;
          s.injected++;
          this.record(t, {
            kind: picked.kind,
            status:
              picked.kind === 'cut' ? undefined : ERROR_FAULTS[picked.kind],
            rule: rule.text,
          });
          break;
        }
      }
    }
    return decision;
  }

  /** Adds to the record (the HTTP layer records watch drops when they happen). */
  record(
    t: FaultTarget,
    what: Pick<InjectedFault, 'kind' | 'status' | 'ms' | 'rule'>,
  ): void {
    this.#history.push({
      seq: ++this.#seq,
      ...what,
      method: t.method,
      verb: t.verb,
      path: t.path,
      ...(t.resource ? { resource: t.resource } : {}),
      ...(t.namespace ? { namespace: t.namespace } : {}),
      ...(t.name ? { name: t.name } : {}),
    });
    if (this.#history.length > HISTORY_LIMIT) this.#history.shift();
  }

  #reseed(seed: number | undefined): void {
    this.#seed = seed ?? randomInt(0, 0xffffffff);
    this.#random = seededRandom(this.#seed);
  }
}

function state(rule: FaultRule): RuleState {
  return { rule, matched: 0, applied: 0, injected: 0 };
}
