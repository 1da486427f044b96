import type { OnboardingFix } from '@meshstage/plugin-mesh-common';
import { ACTIVE_OPERATION_STATES } from '@meshstage/plugin-mesh-common';
import { newestFirst } from './onboardedMeshes';
import type { OnboardingOperation } from './types';

/** How long the automatic onboarding waits after failed attempts (`mesh.onboarding.backoff`). */
export interface BackoffSettings {
  /** The wait after the first failure; it doubles with each further failure in a row. */
  initialMs: number;
  /** The longest wait. */
  maxMs: number;
}

/**
 * An attempt refused before any operation existed (the planner rejected the request, the
 * permission was denied): the onboarding keeps these itself, since no operation row records them.
 */
export interface AttemptRefusal {
  /** ISO-8601. */
  at: string;
  /** Refusals in a row. */
  failures: number;
  error: string;
}

/** Where an entity's fix stands: running now, or when it may next be tried and why it failed. */
export interface AttemptState {
  /** An operation of the entity's on the same cluster and namespace is still active. */
  busy?: OnboardingOperation;
  /** No attempt before this time (ISO-8601); absent when one may start now. */
  notBefore?: string;
  /** Consecutive attempts that did not bring it in sync. */
  failures: number;
  lastError?: string;
}

/** The wait after `failures` failed attempts in a row: initial, doubled each time, capped. */
export function backoffDelayMs(
  failures: number,
  settings: BackoffSettings,
): number {
  if (failures <= 0) return 0;
  // 2^30 and beyond only overflow towards the cap.
  const factor = 2 ** Math.min(failures - 1, 30);
  return Math.min(settings.initialMs * factor, settings.maxMs);
}

/** The key of a fix's request: cluster, mesh, namespace and action. */
export function fixKey(fix: OnboardingFix): string {
  const { cluster, mesh, namespace, action } = fix.request;
  return `${cluster}|${mesh}|${namespace}|${action}`;
}

/**
 * Whether the automatic onboarding may start a fix for an entity now, from the entity's earlier
 * operations and refusals. Every operation of the same fix since the entity's last operation of
 * another kind on that namespace counts as a failed attempt while the fix is still needed: a
 * failed or reverted one obviously, a succeeded one because the namespace is out of sync again
 * (so a fix that does not hold, or that someone keeps undoing, is retried less and less often
 * rather than every tick). The wait runs from the end of the latest attempt. Pure.
 */
export function attemptState(options: {
  entityRef: string;
  fix: OnboardingFix;
  history: readonly OnboardingOperation[];
  refusal?: AttemptRefusal;
  settings: BackoffSettings;
}): AttemptState {
  const { entityRef, fix, history, refusal, settings } = options;
  const { cluster, namespace } = fix.request;
  const mine = history
    .filter(
      op =>
        op.cause.entityRefs.includes(entityRef) &&
        op.cluster === cluster &&
        op.request.namespace === namespace,
    )
    .sort(newestFirst);
  const busy = mine.find(op => ACTIVE_OPERATION_STATES.includes(op.state));
  if (busy) return { busy, failures: 0 };

  const key = fixKey(fix);
  let failures = 0;
  for (const op of mine) {
    if (fixKey({ action: op.request.action, request: op.request }) !== key) {
      break;
    }
    failures++;
  }
  const latest = failures > 0 ? mine[0] : undefined;
  let notBefore: number | undefined;
  let lastError: string | undefined;
  if (latest) {
    const ended = Date.parse(latest.finishedAt ?? latest.updatedAt);
    notBefore = ended + backoffDelayMs(failures, settings);
    lastError =
      latest.error ??
      (latest.state === 'succeeded'
        ? `operation ${latest.id} succeeded, but the namespace is out of sync again`
        : `operation ${latest.id} ended ${latest.state}`);
  }
  // A refusal newer than the latest operation counts on top of the operations before it.
  if (
    refusal &&
    (!latest ||
      Date.parse(refusal.at) >=
        Date.parse(latest.finishedAt ?? latest.updatedAt))
  ) {
    const total = failures + refusal.failures;
    notBefore = Date.parse(refusal.at) + backoffDelayMs(total, settings);
    failures = total;
    lastError = refusal.error;
  }
  return {
    failures,
    ...(notBefore !== undefined && {
      notBefore: new Date(notBefore).toISOString(),
    }),
    ...(lastError && { lastError }),
  };
}
