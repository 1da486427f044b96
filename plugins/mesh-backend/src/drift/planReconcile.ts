import {
  type DriftReport,
  formatObjectRef,
  objectRef,
  type Plan,
  type PlanObject,
  type PlanStep,
  type ReconcileRequest,
} from '@meshstage/plugin-mesh-common';
import { applyStep, waitStep } from '@meshstage/plugin-mesh-node';

/**
 * The plan that restores what drifted: every modified or missing object is applied again as it was
 * last applied (server-side apply takes back only the fields MeshStage owns), and re-applied
 * Deployments are waited for. Pure: the report and the desired objects come from the caller.
 */
export function planReconcile(
  request: ReconcileRequest,
  report: DriftReport,
  desired: PlanObject[],
): Plan {
  const byRef = new Map(desired.map(o => [formatObjectRef(objectRef(o)), o]));
  const steps: PlanStep[] = [];
  const waits: PlanStep[] = [];
  for (const drifted of report.objects.filter(o => o.status !== 'in-sync')) {
    const object = byRef.get(formatObjectRef(drifted.ref));
    if (!object) continue;
    steps.push({
      ...applyStep(object),
      description: `${
        drifted.status === 'missing' ? 'Recreate' : 'Restore'
      } ${formatObjectRef(drifted.ref)}${
        drifted.differences.length
          ? ` (${drifted.differences.map(d => d.path).join(', ')})`
          : ''
      }`,
    });
    if (object.kind === 'Deployment') {
      waits.push(waitStep(drifted.ref, 'Available'));
    }
  }
  if (steps.length === 0) {
    throw new Error(
      `Nothing to reconcile: ${request.mesh} on ${request.cluster} has not drifted`,
    );
  }
  return {
    request,
    summary: `Reconcile ${steps.length} drifted object${
      steps.length === 1 ? '' : 's'
    } of ${request.mesh} on ${request.cluster}`,
    steps: [...steps, ...waits],
  };
}
