import type { ObjectRef, PlanObject } from '@meshstage/plugin-mesh-common';
import type { KubeObject } from '@meshstage/plugin-mesh-node';

// The wire types of operations live in mesh-common (one definition for backend and frontend);
// re-exported here under the names the backend has always used.
export type {
  Operation,
  OperationLogEntry,
  OperationState,
} from '@meshstage/plugin-mesh-common';
export {
  ACTIVE_OPERATION_STATES as ACTIVE_STATES,
  FINAL_OPERATION_STATES as FINAL_STATES,
} from '@meshstage/plugin-mesh-common';

/** The live state of an object before a step changed it; `prior` is absent when it did not exist. */
export interface PriorState {
  step: number;
  ref: ObjectRef;
  prior?: KubeObject;
}

/** A desired object an operation applied, as recorded for drift detection. */
export interface AppliedObject {
  ref: ObjectRef;
  /** The object exactly as the apply step sent it (only the fields MeshStage manages). */
  object: PlanObject;
  operationId: string;
  appliedAt: string;
}
