import type { ObjectRef, Plan, PlanStep } from '@meshstage/plugin-mesh-common';
import {
  kubeCollectionPath,
  kubeResourceOf,
} from '@meshstage/plugin-mesh-node';

/**
 * Where in a step a backend is killed: just before the step's write reaches the cluster (its
 * prior state is recorded, the cluster unchanged), just after the cluster applied the write but
 * before the backend saw the answer (the cluster changed, the database does not know), or while a
 * wait step polls.
 */
export type KillMoment = 'before-write' | 'after-write' | 'waiting';

/** A kill point: step number as the log shows it (1-based), and the moment within it. */
export interface KillPoint {
  step: number;
  moment: KillMoment;
}

/**
 * The cluster request a {@link HoldingProxy} holds to stop a backend at a kill point: the
 * `occurrence`-th request with this method and path since the proxy was armed, held `before` it
 * is forwarded or `after` the cluster answered it.
 */
export interface HoldRule {
  method: 'GET' | 'PATCH' | 'DELETE';
  path: string;
  occurrence: number;
  phase: 'before' | 'after';
}

/** The API path of one object (collection path plus name), as the cluster writer requests it. */
export function objectPath(ref: ObjectRef): string {
  return `${kubeCollectionPath(
    kubeResourceOf(ref.apiVersion, ref.kind),
    ref.namespace,
  )}/${encodeURIComponent(ref.name)}`;
}

function targetOf(step: PlanStep): ObjectRef | undefined {
  switch (step.type) {
    case 'apply':
      return {
        apiVersion: step.object.apiVersion,
        kind: step.object.kind,
        name: step.object.metadata.name,
        ...(step.object.metadata.namespace && {
          namespace: step.object.metadata.namespace,
        }),
      };
    case 'patch':
    case 'delete':
    case 'wait':
      return step.target;
    default:
      return undefined;
  }
}

const writeMethod = (step: PlanStep) =>
  step.type === 'delete' ? 'DELETE' : 'PATCH';

/**
 * The request to hold for a kill point in a forward run of `plan` from its first step, counting
 * the requests a step executor sends: apply and patch read the object then PATCH it, delete reads
 * it then DELETEs it, wait reads it until the condition holds. Pure.
 */
export function holdRuleFor(plan: Plan, point: KillPoint): HoldRule {
  const step = plan.steps[point.step - 1];
  if (!step) {
    throw new Error(`Kill point: the plan has no step ${point.step}`);
  }
  const target = targetOf(step);
  if (!target) {
    throw new Error(
      `Kill point: step ${point.step} (${step.type}) sends no cluster request`,
    );
  }
  const path = objectPath(target);
  const earlier = plan.steps.slice(0, point.step - 1).filter(s => {
    const t = targetOf(s);
    return t !== undefined && objectPath(t) === path;
  });
  if (point.moment === 'waiting') {
    if (step.type !== 'wait') {
      throw new Error(`Kill point: step ${point.step} is not a wait step`);
    }
    if (earlier.some(s => s.type === 'wait')) {
      // Polls are not counted: their number depends on how fast the cluster gets there.
      throw new Error(
        `Kill point: an earlier wait step reads ${path}; its reads cannot be counted`,
      );
    }
    return {
      method: 'GET',
      path,
      occurrence: earlier.length + 1,
      phase: 'before',
    };
  }
  if (step.type === 'wait') {
    throw new Error(`Kill point: step ${point.step} is a wait step`);
  }
  const method = writeMethod(step);
  return {
    method,
    path,
    occurrence:
      earlier.filter(s => s.type !== 'wait' && writeMethod(s) === method)
        .length + 1,
    phase: point.moment === 'before-write' ? 'before' : 'after',
  };
}

/** `step 24 after-write` */
export const formatKillPoint = (p: KillPoint) => `step ${p.step} ${p.moment}`;
