import type { OnboardingFix } from '@meshstage/plugin-mesh-common';
import { type AttemptState, fixKey } from './backoff';

/** One entity's pending fix and where its attempts stand. */
export interface PendingFix {
  entityRef: string;
  fix: OnboardingFix;
  attempt: AttemptState;
}

/** A fix to start now, for the entities that need it (several when they share the namespace). */
export interface PlannedStart {
  fix: OnboardingFix;
  entityRefs: string[];
}

/** A fix left for a later tick, and why. */
export interface SkippedFix {
  fix: OnboardingFix;
  entityRefs: string[];
  reason: string;
}

/**
 * Picks the operations one tick of the automatic onboarding starts: one per fix (entities sharing
 * a namespace share it), leaving out entities whose fix is running or waiting out its backoff,
 * fixes whose cluster and mesh another operation holds (`lockedBy`, by `cluster|mesh`) and one per
 * cluster and mesh at most (they would only meet the lock), and no more than `slots` in all. In
 * fix-key order, so ticks are reproducible. Pure.
 */
export function planStarts(options: {
  pending: PendingFix[];
  /** `cluster|mesh` → the id of the operation holding it. */
  lockedBy: ReadonlyMap<string, string>;
  /** How many more automatic operations may run now (maxConcurrent minus those running). */
  slots: number;
  now: Date;
}): { start: PlannedStart[]; skipped: SkippedFix[] } {
  const { pending, lockedBy, now } = options;
  const groups = new Map<string, { fix: OnboardingFix; ready: string[] }>();
  const skipped: SkippedFix[] = [];
  for (const p of [...pending].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef),
  )) {
    const key = fixKey(p.fix);
    const group = groups.get(key) ?? { fix: p.fix, ready: [] };
    groups.set(key, group);
    if (p.attempt.busy) {
      skipped.push({
        fix: p.fix,
        entityRefs: [p.entityRef],
        reason: `operation ${p.attempt.busy.id} for it is ${p.attempt.busy.state}`,
      });
    } else if (
      p.attempt.notBefore &&
      Date.parse(p.attempt.notBefore) > now.getTime()
    ) {
      skipped.push({
        fix: p.fix,
        entityRefs: [p.entityRef],
        reason: `backing off after ${p.attempt.failures} failed ${
          p.attempt.failures === 1 ? 'attempt' : 'attempts'
        } until ${p.attempt.notBefore}`,
      });
    } else {
      group.ready.push(p.entityRef);
    }
  }

  const start: PlannedStart[] = [];
  const claimed = new Set<string>();
  let slots = options.slots;
  for (const key of [...groups.keys()].sort()) {
    const { fix, ready } = groups.get(key)!;
    if (ready.length === 0) continue;
    const lock = `${fix.request.cluster}|${fix.request.mesh}`;
    const holder = lockedBy.get(lock);
    let reason: string | undefined;
    if (holder) {
      reason = `operation ${holder} holds cluster '${fix.request.cluster}' and mesh '${fix.request.mesh}'`;
    } else if (claimed.has(lock)) {
      reason = `another automatic operation starts on cluster '${fix.request.cluster}' and mesh '${fix.request.mesh}' first`;
    } else if (slots <= 0) {
      reason =
        'as many automatic operations as mesh.onboarding.maxConcurrent allows are running';
    }
    if (reason) {
      skipped.push({ fix, entityRefs: ready, reason });
      continue;
    }
    claimed.add(lock);
    slots--;
    start.push({ fix, entityRefs: ready });
  }
  return { start, skipped };
}
