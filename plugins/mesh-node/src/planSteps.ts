import type {
  ApplyStep,
  DeleteStep,
  ObjectRef,
  PatchStep,
  PlanObject,
  PlanStep,
  WaitCondition,
  WaitStep,
} from '@meshstage/plugin-mesh-common';
import { formatObjectRef, objectRef } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from './kube';

/** The annotation `kubectl rollout restart` sets; changing it rolls a Deployment's pods. @public */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** An apply step for an object, described as `Apply Kind/ns/name`. @public */
export function applyStep(object: PlanObject): ApplyStep {
  return {
    type: 'apply',
    description: `Apply ${formatObjectRef(objectRef(object))}`,
    object,
  };
}

/** A delete step for an object or reference. @public */
export function deleteStep(target: PlanObject | ObjectRef): DeleteStep {
  const ref = 'metadata' in target ? objectRef(target) : target;
  return {
    type: 'delete',
    description: `Delete ${formatObjectRef(ref)}`,
    target: ref,
  };
}

/** A merge-patch step. @public */
export function patchStep(
  target: ObjectRef,
  patch: Record<string, unknown>,
  reason: string,
): PatchStep {
  return {
    type: 'patch',
    description: `Patch ${formatObjectRef(target)}: ${reason}`,
    target,
    patch,
    reason,
  };
}

/** A wait step. @public */
export function waitStep(
  target: ObjectRef,
  condition: WaitCondition,
  timeoutSeconds = 300,
): WaitStep {
  return {
    type: 'wait',
    description: `Wait for ${formatObjectRef(
      target,
    )} to be ${condition} (up to ${timeoutSeconds}s)`,
    target,
    condition,
    timeoutSeconds,
  };
}

/** The reference of a Deployment. @public */
export function deploymentRef(name: string, namespace: string): ObjectRef {
  return { apiVersion: 'apps/v1', kind: 'Deployment', name, namespace };
}

/**
 * Rolling restart of Deployments, as `kubectl rollout restart` does it: every template is
 * patched first, then every rollout is awaited, so the restarts run in parallel on the cluster.
 * Deployments are taken in name order so that plans are stable.
 * @public
 */
export function restartDeploymentSteps(
  deployments: KubeObject[],
  now: string,
  reason: string,
): PlanStep[] {
  const refs = deployments
    .map(d => deploymentRef(d.metadata.name, d.metadata.namespace ?? ''))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [
    ...refs.map(ref =>
      patchStep(
        ref,
        {
          spec: {
            template: {
              metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: now } },
            },
          },
        },
        reason,
      ),
    ),
    ...refs.map(ref => waitStep(ref, 'RolloutComplete')),
  ];
}
