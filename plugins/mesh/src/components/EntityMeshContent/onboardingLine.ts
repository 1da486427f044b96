import type {
  EntityOnboarding,
  OnboardingFix,
  OnboardingState,
} from '@meshstage/plugin-mesh-common';

/** What the Mesh tab's onboarding line says: pure, so the wording is testable. */
export interface OnboardingLine {
  label: string;
  tone: 'success' | 'warning' | 'error' | 'default';
  reason: string;
  /** The operation that would bring the entity in sync, or the automatic one under way. */
  action?: string;
}

const LABELS: Record<OnboardingState, [string, OnboardingLine['tone']]> = {
  'in-sync': ['In sync', 'success'],
  'pending-onboarding': ['Pending onboarding', 'warning'],
  'pending-offboarding': ['Pending offboarding', 'warning'],
  conflicting: ['Conflicting', 'error'],
  'workloads-not-found': ['Workloads not found', 'default'],
};

function fixText(fix: OnboardingFix): string {
  const { action, namespace, mesh, cluster } = fix.request;
  return `${action} namespace ${namespace} ${
    action === 'onboard' ? 'to' : 'from'
  } ${mesh} on ${cluster}`;
}

/** Summarises an entity's onboarding state in one line. */
export function onboardingLine(onboarding: EntityOnboarding): OnboardingLine {
  const [label, tone] = LABELS[onboarding.state];
  const op = onboarding.operation;
  let action: string | undefined;
  if (op && ['planned', 'running', 'reverting'].includes(op.state)) {
    action = `Automatic operation ${op.state}: ${op.summary}`;
  } else if (onboarding.fixes.length > 0) {
    action = `Pending: ${onboarding.fixes.map(fixText).join('; ')}`;
    if (onboarding.nextAttemptAt) {
      action += ` (next automatic attempt after ${new Date(
        onboarding.nextAttemptAt,
      ).toLocaleString()}${
        onboarding.lastError ? `; last one failed: ${onboarding.lastError}` : ''
      })`;
    }
  }
  return { label, tone, reason: onboarding.reason, ...(action && { action }) };
}
