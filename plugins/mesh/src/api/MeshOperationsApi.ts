import type {
  DriftReport,
  LifecycleRequest,
  Operation,
  OperationDetail,
  OperationFinalStateEvent,
  OperationListFilter,
  OperationListItem,
  OperationLogEntry,
  OperationPlanPreview,
  PlanPreview,
} from '@meshstage/plugin-mesh-common';

/**
 * One event of an operation's stream (`GET /operations/:id/events`): a step-log line, the final
 * state (after which the stream ends), or an error the backend hit while reading.
 * @public
 */
export type OperationStreamEvent =
  | { type: 'log'; entry: OperationLogEntry }
  | { type: 'state'; state: OperationFinalStateEvent }
  | { type: 'error'; message: string };

/** Options of {@link MeshOperationsApi.streamOperationEvents}. @public */
export interface OperationStreamOptions {
  /** Called for each event, in order. */
  onEvent: (event: OperationStreamEvent) => void;
  /** Stops reading; the promise then resolves. */
  signal?: AbortSignal;
  /** `seq` of the last log line already received: only later lines are sent (`Last-Event-ID`). */
  lastEventId?: number;
}

/**
 * Lifecycle operations and drift: the write side of `/api/mesh`. Execution needs the action's
 * permission (`mesh.operation.<action>`); dry runs, reads and drift need `mesh.operation.read`.
 * A request that another operation blocks (same cluster and mesh) rejects with a
 * `ResponseError` of status 409 whose `body.operationId` names the holder (see
 * `operationConflict` in `lib/operationErrors`).
 * @public
 */
export interface MeshOperationsApi {
  /** Dry run: the plan and its diff against the live objects. Changes nothing. */
  previewOperation(request: LifecycleRequest): Promise<PlanPreview>;
  /** Plans, records and starts an operation (state `running`). */
  createOperation(request: LifecycleRequest): Promise<Operation>;
  /** Operations, newest first, without their plans. */
  listOperations(filter?: OperationListFilter): Promise<OperationListItem[]>;
  /** One operation with its plan and step log. */
  getOperation(id: string): Promise<OperationDetail>;
  /**
   * Reads the operation's events until the final `state` event (the backend then closes the
   * stream), the stream breaks, or `signal` aborts. Resolves when reading ends; callers that
   * saw no `state` event reconnect with `lastEventId`.
   */
  streamOperationEvents(
    id: string,
    options: OperationStreamOptions,
  ): Promise<void>;
  /** Dry run of a resume: the steps from the one that did not finish. */
  previewResumeOperation(id: string): Promise<OperationPlanPreview>;
  /** Re-runs an interrupted or failed operation from the step that did not finish. */
  resumeOperation(id: string): Promise<Operation>;
  /** Dry run of a revert: what undoing the operation's changes would do. */
  previewRevertOperation(id: string): Promise<OperationPlanPreview>;
  /** Undoes what an interrupted, failed or revert-failed operation changed. */
  revertOperation(id: string): Promise<Operation>;
  /** The stored drift reports (latest per cluster and mesh). */
  getDriftReports(filter?: {
    cluster?: string;
    mesh?: string;
  }): Promise<DriftReport[]>;
  /** Checks one cluster and mesh for drift now, and stores the report. */
  checkDrift(target: { cluster: string; mesh: string }): Promise<DriftReport>;
}
