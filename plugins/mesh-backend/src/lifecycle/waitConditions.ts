import type { WaitCondition } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';

/** Whether a wait step's condition holds, and what was seen, for the log and the timeout error. */
export interface ConditionCheck {
  reached: boolean;
  /** A short description of the object's state, e.g. `availableReplicas 1/2, Available=False`. */
  observed: string;
}

type Status = {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  observedGeneration?: number;
  conditions?: Array<{ type: string; status: string; reason?: string }>;
};

function conditions(status: Status): string {
  const list = status.conditions ?? [];
  return list.length
    ? list.map(c => `${c.type}=${c.status}`).join(', ')
    : 'no conditions';
}

/**
 * Evaluates a wait condition on the live object (`undefined` when it does not exist), as
 * `kubectl wait` / `kubectl rollout status` would. Pure.
 */
export function checkCondition(
  object: KubeObject | undefined,
  condition: WaitCondition,
): ConditionCheck {
  if (condition === 'Deleted') {
    return {
      reached: object === undefined,
      observed: object
        ? `still exists${
            object.metadata.deletionTimestamp ? ' (being deleted)' : ''
          }`
        : 'gone',
    };
  }
  if (!object) return { reached: false, observed: 'does not exist' };
  const status = (object.status ?? {}) as Status;
  const has = (type: string) =>
    (status.conditions ?? []).some(c => c.type === type && c.status === 'True');
  const wanted = Number(
    (object.spec as { replicas?: number } | undefined)?.replicas ?? 1,
  );
  switch (condition) {
    case 'Available':
      return {
        reached: has('Available') && (status.availableReplicas ?? 0) >= wanted,
        observed: `availableReplicas ${
          status.availableReplicas ?? 0
        }/${wanted}, ${conditions(status)}`,
      };
    case 'RolloutComplete': {
      const generation = object.metadata.generation ?? 0;
      const reached =
        (status.observedGeneration ?? 0) >= generation &&
        (status.updatedReplicas ?? 0) === wanted &&
        (status.availableReplicas ?? 0) === wanted &&
        (status.replicas ?? 0) === wanted;
      return {
        reached,
        observed: `updated ${status.updatedReplicas ?? 0}, available ${
          status.availableReplicas ?? 0
        }, total ${status.replicas ?? 0} of ${wanted} (generation ${
          status.observedGeneration ?? 0
        }/${generation})`,
      };
    }
    case 'Established':
      return { reached: has('Established'), observed: conditions(status) };
    default:
      return { reached: false, observed: `unknown condition ${condition}` };
  }
}
