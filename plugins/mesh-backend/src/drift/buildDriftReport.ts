import {
  type DriftObject,
  type DriftReport,
  formatObjectRef,
  objectRef,
  type PlanObject,
} from '@meshstage/plugin-mesh-common';
import { compareManagedFields } from '@meshstage/plugin-mesh-node';

/** An object an operation applied, as the operation store remembers it. */
export interface AppliedObject {
  object: PlanObject;
  operationId: string;
}

/**
 * Compares what MeshStage applied with what the cluster holds (`live`, keyed by
 * `formatObjectRef`; a missing key means the object is gone). Pure: the caller reads the cluster.
 */
export function buildDriftReport(options: {
  cluster: string;
  mesh: string;
  applied: AppliedObject[];
  live: Map<string, Record<string, unknown>>;
  checkedAt: Date;
}): DriftReport {
  const objects: DriftObject[] = options.applied.map(
    ({ object, operationId }) => {
      const ref = objectRef(object);
      const live = options.live.get(formatObjectRef(ref));
      if (!live) {
        return { ref, status: 'missing', differences: [], operationId };
      }
      const differences = compareManagedFields(object, live);
      return {
        ref,
        status: differences.length ? 'modified' : 'in-sync',
        differences,
        operationId,
      };
    },
  );
  objects.sort((a, b) =>
    formatObjectRef(a.ref).localeCompare(formatObjectRef(b.ref)),
  );
  return {
    cluster: options.cluster,
    mesh: options.mesh,
    checkedAt: options.checkedAt.toISOString(),
    drifted: objects.some(o => o.status !== 'in-sync'),
    objects,
  };
}
