/**
 * Resume and revert of lifecycle operations: which states offer them, and which onboard or
 * offboard operation of an entity's namespaces stopped where a person has to pick one. Pure.
 */
import type {
  OnboardingOperationSummary,
  OperationListItem,
  OperationState,
} from '@meshstage/plugin-mesh-common';

/** Running an operation again: from the step that did not finish, or undoing what it changed. */
export type RunAgainVerb = 'resume' | 'revert';

/** The verbs as buttons and dialog titles say them. */
export const RUN_AGAIN_LABELS: Record<RunAgainVerb, string> = {
  resume: 'Resume',
  revert: 'Revert',
};

/** States an operation can be resumed from (the backend's `resume` accepts these). */
export const RESUMABLE_STATES: readonly OperationState[] = [
  'interrupted',
  'failed',
];

/** States an operation can be reverted from (the backend's `revert` accepts these). */
export const REVERTIBLE_STATES: readonly OperationState[] = [
  'interrupted',
  'failed',
  'revert-failed',
];

/** Resume and Revert, in that order, as far as an operation in this state offers them. */
export function runAgainVerbs(
  state: OperationState | undefined,
): RunAgainVerb[] {
  if (!state) return [];
  return [
    ...(RESUMABLE_STATES.includes(state) ? (['resume'] as const) : []),
    ...(REVERTIBLE_STATES.includes(state) ? (['revert'] as const) : []),
  ];
}

/**
 * An onboard or offboard operation of one namespace, as the Mesh tab shows it: the fields the
 * onboarding's summary has, and what a `GET /operations` item adds.
 */
export interface NamespaceOperation
  extends Omit<OnboardingOperationSummary, 'finishedAt'> {
  /** The step that did not finish (0-based), when known. */
  currentStep?: number;
  /** Number of plan steps, when known. */
  steps?: number;
  /** 1 for the first execution; each resume or revert adds one. */
  run?: number;
}

/** The onboard or offboard operations of a `GET /operations` answer, as namespace operations. */
export function namespaceOperationsOf(
  items: readonly OperationListItem[],
): NamespaceOperation[] {
  return items.flatMap(op =>
    op.request.action === 'onboard' || op.request.action === 'offboard'
      ? [
          {
            id: op.id,
            action: op.request.action,
            cluster: op.cluster,
            mesh: op.mesh,
            namespace: op.request.namespace,
            state: op.state,
            summary: op.summary,
            createdAt: op.createdAt,
            run: op.run,
            steps: op.steps,
            ...(op.error !== undefined && { error: op.error }),
            ...(op.currentStep !== undefined && {
              currentStep: op.currentStep,
            }),
          },
        ]
      : [],
  );
}

/** The automatic onboarding's latest operation of an entity (its status), as a namespace operation. */
export function namespaceOperationOf(
  op: OnboardingOperationSummary,
): NamespaceOperation {
  const { finishedAt: _finishedAt, ...operation } = op;
  return operation;
}

/**
 * For each target namespace, its newest onboard or offboard operation when that one stopped
 * failed, interrupted or revert-failed, so that it waits for someone to resume or revert it. A
 * namespace whose newest operation succeeded, was reverted or is still running has none: an
 * older failure there is settled. Candidates may repeat (two sources); the first of an id wins.
 */
export function stoppedNamespaceOperations(
  candidates: readonly NamespaceOperation[],
  targets: ReadonlyArray<{ cluster: string; namespace: string }>,
): NamespaceOperation[] {
  const newestFirst = [...candidates].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
  const result: NamespaceOperation[] = [];
  for (const t of targets) {
    const newest = newestFirst.find(
      op => op.cluster === t.cluster && op.namespace === t.namespace,
    );
    if (
      newest &&
      runAgainVerbs(newest.state).length > 0 &&
      !result.some(op => op.id === newest.id)
    ) {
      result.push(newest);
    }
  }
  return result;
}
