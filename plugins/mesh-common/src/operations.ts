/**
 * Lifecycle operations on the wire (`/api/mesh/operations`): what the backend stores and returns,
 * and what the frontend reads. Plain JSON shapes, one definition for both sides.
 */
import type { LifecycleAction, LifecycleRequest, Plan } from './lifecycle';
import type { MeshStatus } from './types';

/**
 * Where an operation is. `planned` → `running` → `succeeded` | `failed`; a running operation
 * whose backend died becomes `interrupted`; `reverting` → `reverted` | `revert-failed`.
 * Resume and revert are new runs of the same row (see {@link Operation.run}).
 * @public
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

/** States in which a backend process is (or should be) working on the operation. @public */
export const ACTIVE_OPERATION_STATES: readonly OperationState[] = [
  'planned',
  'running',
  'reverting',
];

/** States no run will leave on its own. @public */
export const FINAL_OPERATION_STATES: readonly OperationState[] = [
  'succeeded',
  'failed',
  'interrupted',
  'reverted',
  'revert-failed',
];

/**
 * What an adapter detected of its mesh on a cluster (a {@link MeshStatus} without the fields the
 * backend fills in), as recorded with an operation.
 * @public
 */
export type OperationDetection = Omit<
  MeshStatus,
  'mesh' | 'cluster' | 'error' | 'conflicts'
>;

/**
 * Why the backend started an operation by itself: `onboarding` when the catalog-driven
 * onboarding (`mesh.onboarding.mode: auto`) did, for the entities whose annotations asked for it
 * (several when they share the namespace). Absent on operations a person or a client started.
 * @public
 */
export interface OperationCause {
  kind: 'onboarding';
  /** The entities it brings in sync, sorted. */
  entityRefs: string[];
}

/**
 * The fields of an operation that lists show too.
 * @public
 */
export interface OperationFields {
  id: string;
  cluster: string;
  mesh: string;
  action: LifecycleAction;
  request: LifecycleRequest;
  summary: string;
  state: OperationState;
  /** User entity ref of whoever created it (`service:<subject>` for services). */
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** When the latest run started / ended. */
  startedAt?: string;
  finishedAt?: string;
  error?: string;
  /** Index of the plan step running, or the one that failed or was interrupted. */
  currentStep?: number;
  /** Instance id of the backend process running it. */
  owner?: string;
  heartbeatAt?: string;
  /** 1 for the first execution; each resume or revert adds one. */
  run: number;
  /** Set when the backend started it by itself (automatic onboarding). */
  cause?: OperationCause;
}

/** A lifecycle operation as stored (`GET /operations/:id`). @public */
export interface Operation extends OperationFields {
  plan: Plan;
  /** The adapter's detection before the first run, for rollback and the UI. */
  previousDetection?: OperationDetection;
}

/** An operation in `GET /operations`: without the plan and detection, with its step count. @public */
export interface OperationListItem extends OperationFields {
  /** Number of plan steps. */
  steps: number;
}

/** One line of an operation's step log. @public */
export interface OperationLogEntry {
  /** 1, 2, 3 ... per operation, across runs. */
  seq: number;
  time: string;
  /** The plan step (0-based) the line is about, if any. */
  step?: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Query filters of `GET /operations` (newest first). @public */
export interface OperationListFilter {
  cluster?: string;
  mesh?: string;
  state?: OperationState;
  /** Who started it: a user entity ref (`user:default/ann`) or `service:<subject>`. */
  createdBy?: string;
  /** 1 to 500; the backend's default is 50. */
  limit?: number;
  /** Operations to skip (newest first), for paging. Default 0. */
  offset?: number;
}

/**
 * A plan and the text a user reviews before running it: the answer to a dry run
 * (`POST /operations` with `dryRun: true`). `diff` is mesh-node's `renderPlanDiff` text (`#`
 * summary, `## n.` steps, lines starting `+`, `~`, `-`, `=`, `… wait`), not a unified diff.
 * @public
 */
export interface PlanPreview {
  plan: Plan;
  diff: string;
}

/** The dry run of a resume or revert: the plan it would run, with the operation. @public */
export interface OperationPlanPreview extends PlanPreview {
  operation: Operation;
}

/** `GET /operations/:id`. @public */
export interface OperationDetail {
  operation: Operation;
  log: OperationLogEntry[];
}

/** The body of a 202 (`POST /operations`, `/resume`, `/revert`). @public */
export interface OperationEnvelope {
  operation: Operation;
}

/**
 * The data of the `state` event that ends `GET /operations/:id/events`.
 * @public
 */
export interface OperationFinalStateEvent {
  state: OperationState;
  error?: string;
  currentStep?: number;
}

/**
 * The body of the 409 `POST /operations` (and resume, revert) answers when another operation
 * holds the cluster and mesh: Backstage's error body plus the holder's id.
 * @public
 */
export interface OperationConflictBody {
  error: { name: string; message: string };
  /** The operation in progress on the cluster and mesh. */
  operationId?: string;
}
