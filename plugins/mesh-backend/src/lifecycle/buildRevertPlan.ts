import type { Plan } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';
import type { ClusterWriter } from '../cluster';
import { objectKey } from './objectKey';
import type { OperationStore } from './OperationStore';
import { revertPlan } from './revertPlan';
import type { Operation } from './types';

/**
 * Reads an operation's recorded prior states and the current live objects, and returns the plan
 * that restores them (see {@link revertPlan}). Reads only: used for a revert and its dry run.
 */
export async function buildRevertPlan(
  store: OperationStore,
  writer: ClusterWriter,
  operation: Operation,
): Promise<Plan> {
  const priors = await store.listPriorStates(operation.id);
  const live = new Map<string, KubeObject | undefined>();
  for (const p of priors) {
    const key = objectKey(p.ref);
    if (!live.has(key)) live.set(key, await writer.get(p.ref));
  }
  return revertPlan(operation, priors, key => live.get(key));
}
