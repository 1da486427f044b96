import type {
  LifecycleAction,
  LifecycleRequest,
  ObjectRef,
  Plan,
  PlanObject,
} from '@meshstage/plugin-mesh-common';
import type { KubeObject, MeshDetection } from '@meshstage/plugin-mesh-node';

/**
 * Where an operation is. `planned` → `running` → `succeeded` | `failed`; a running operation
 * whose backend died becomes `interrupted`; `reverting` → `reverted` | `revert-failed`.
 * Resume and revert are new runs of the same row (see {@link Operation.run}).
 */
export type OperationState =
  | 'planned'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'interrupted'
  | 'reverting'
  | 'reverted'
  | 'revert-failed';

/** States in which a backend process is (or should be) working on the operation. */
export const ACTIVE_STATES: readonly OperationState[] = [
  'planned',
  'running',
  'reverting',
];

/** States no run will leave on its own. */
export const FINAL_STATES: readonly OperationState[] = [
  'succeeded',
  'failed',
  'interrupted',
  'reverted',
  'revert-failed',
];

/** A lifecycle operation as stored. */
export interface Operation {
  id: string;
  cluster: string;
  mesh: string;
  action: LifecycleAction;
  request: LifecycleRequest;
  plan: Plan;
  summary: string;
  state: OperationState;
  /** User entity ref of whoever created it. */
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** When the latest run started / ended. */
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  /** Index of the plan step running, or the one that failed or was interrupted. */
  currentStep?: number;
  /** The adapter's detection before the first run, for rollback and the UI. */
  previousDetection?: MeshDetection;
  /** Instance id of the backend process running it. */
  owner?: string;
  heartbeatAt?: string;
  /** 1 for the first execution; each resume or revert adds one. */
  run: number;
}

/** One line of an operation's step log. */
export interface OperationLogEntry {
  /** 1, 2, 3 ... per operation, across runs. */
  seq: number;
  time: string;
  /** The plan step (0-based) the line is about, if any. */
  step?: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

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
