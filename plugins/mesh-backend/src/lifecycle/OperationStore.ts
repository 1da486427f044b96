import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  LifecycleRequest,
  ObjectRef,
  OperationCause,
  OperationListFilter,
  Plan,
  PlanObject,
} from '@meshstage/plugin-mesh-common';
import { objectRef } from '@meshstage/plugin-mesh-common';
import type { KubeObject, MeshDetection } from '@meshstage/plugin-mesh-node';
import type { Knex } from 'knex';
import { objectKey } from './objectKey';
import type {
  AppliedObject,
  Operation,
  OperationLogEntry,
  OperationState,
  PriorState,
} from './types';
import { ACTIVE_STATES } from './types';

const OPERATIONS = 'mesh_operations';
const LOCKS = 'mesh_operation_locks';
const LOG = 'mesh_operation_log';
const PRIORS = 'mesh_operation_prior_states';
const APPLIED = 'mesh_applied_objects';

/**
 * A second operation on a cluster and mesh while one holds the lock. Carries the holder's id so
 * the API can return it.
 */
export class OperationConflictError extends ConflictError {
  readonly operationId: string;

  constructor(message: string, operationId: string) {
    super(message);
    this.operationId = operationId;
  }
}

interface OperationRow {
  id: string;
  cluster: string;
  mesh: string;
  action: string;
  request: string;
  plan: string;
  summary: string;
  state: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  current_step: number | null;
  previous_detection: string | null;
  owner: string | null;
  heartbeat_at: string | null;
  run: number;
  cause_kind?: string | null;
  cause?: string | null;
}

function toOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    cluster: row.cluster,
    mesh: row.mesh,
    action: row.action as Operation['action'],
    request: JSON.parse(row.request),
    plan: JSON.parse(row.plan),
    summary: row.summary,
    state: row.state as OperationState,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.started_at && { startedAt: row.started_at }),
    ...(row.finished_at && { finishedAt: row.finished_at }),
    ...(row.error && { error: row.error }),
    ...(row.current_step !== null &&
      row.current_step !== undefined && {
        currentStep: Number(row.current_step),
      }),
    ...(row.previous_detection && {
      previousDetection: JSON.parse(row.previous_detection),
    }),
    ...(row.owner && { owner: row.owner }),
    ...(row.heartbeat_at && { heartbeatAt: row.heartbeat_at }),
    run: Number(row.run),
    ...(row.cause && { cause: JSON.parse(row.cause) }),
  };
}

/** Unique/primary-key violation on SQLite or PostgreSQL. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    /UNIQUE constraint failed|duplicate key/i.test(e?.message ?? '')
  );
}

const now = () => new Date().toISOString();

/** What {@link OperationStore.create} needs. */
export interface NewOperation {
  request: LifecycleRequest;
  plan: Plan;
  createdBy: string;
  previousDetection?: MeshDetection;
  /** Instance id of the process that will run it. */
  owner: string;
  /** Why the backend started it by itself (automatic onboarding). */
  cause?: OperationCause;
}

/** Filters of {@link OperationStore.list}: the route's, and the action. */
export interface OperationFilter extends OperationListFilter {
  action?: Operation['action'];
  /** Only operations the backend started for this kind of cause. */
  causeKind?: OperationCause['kind'];
}

/**
 * Lifecycle operations in the plugin's database (knex; SQLite and PostgreSQL). The lock that
 * allows one unfinished operation per cluster and mesh is a row whose primary key is
 * (cluster, mesh), inserted in the same transaction as the operation it belongs to, so two
 * concurrent requests cannot both get it on either database.
 */
export class OperationStore {
  constructor(private readonly knex: Knex) {}

  /** Creates an operation in state `planned` and takes the lock, or throws {@link OperationConflictError}. */
  async create(input: NewOperation): Promise<Operation> {
    const id = randomUUID();
    const time = now();
    const { request, plan } = input;
    try {
      await this.knex.transaction(async tx => {
        await tx(OPERATIONS).insert({
          id,
          cluster: request.cluster,
          mesh: request.mesh,
          action: request.action,
          request: JSON.stringify(request),
          plan: JSON.stringify(plan),
          summary: plan.summary,
          state: 'planned',
          created_by: input.createdBy,
          created_at: time,
          updated_at: time,
          previous_detection: input.previousDetection
            ? JSON.stringify(input.previousDetection)
            : null,
          owner: input.owner,
          heartbeat_at: time,
          run: 1,
          cause_kind: input.cause?.kind ?? null,
          cause: input.cause ? JSON.stringify(input.cause) : null,
        });
        await tx(LOCKS).insert({
          cluster: request.cluster,
          mesh: request.mesh,
          operation_id: id,
          acquired_at: time,
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw await this.conflictError(request.cluster, request.mesh);
      }
      throw error;
    }
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Operation | undefined> {
    const row = await this.knex<OperationRow>(OPERATIONS).where({ id }).first();
    return row ? toOperation(row) : undefined;
  }

  /** The operation, or a 404. */
  async require(id: string): Promise<Operation> {
    const op = await this.get(id);
    if (!op) throw new NotFoundError(`No operation '${id}'`);
    return op;
  }

  /** Newest first. */
  async list(filter: OperationFilter = {}): Promise<Operation[]> {
    const query = this.knex<OperationRow>(OPERATIONS)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 50)
      .offset(filter.offset ?? 0);
    if (filter.cluster) query.where('cluster', filter.cluster);
    if (filter.createdBy) query.where('created_by', filter.createdBy);
    if (filter.mesh) query.where('mesh', filter.mesh);
    if (filter.state) query.where('state', filter.state);
    if (filter.action) query.where('action', filter.action);
    if (filter.causeKind) query.where('cause_kind', filter.causeKind);
    return (await query).map(toOperation);
  }

  /** The id of the operation holding the lock of a cluster and mesh, if any. */
  async lockHolder(cluster: string, mesh: string): Promise<string | undefined> {
    const row = await this.knex(LOCKS).where({ cluster, mesh }).first();
    return row?.operation_id;
  }

  /**
   * Starts a run: moves the operation from one of `from` to `to` (`running` or `reverting`) under
   * `owner`, taking the lock again if it was released (a failed operation) and keeping it if the
   * operation still holds it (interrupted). Another operation holding it is a conflict.
   */
  async beginRun(
    id: string,
    options: {
      from: readonly OperationState[];
      to: 'running' | 'reverting';
      owner: string;
      /** The step a forward run starts at; `null` forgets it (a revert run). */
      currentStep?: number | null;
    },
  ): Promise<Operation> {
    const time = now();
    try {
      await this.knex.transaction(async tx => {
        const row = await tx<OperationRow>(OPERATIONS).where({ id }).first();
        if (!row) throw new NotFoundError(`No operation '${id}'`);
        if (!options.from.includes(row.state as OperationState)) {
          throw new ConflictError(
            `Operation ${id} is ${
              row.state
            }; this needs it to be ${options.from.join(' or ')}`,
          );
        }
        const lock = await tx(LOCKS)
          .where({ cluster: row.cluster, mesh: row.mesh })
          .first();
        if (!lock) {
          await tx(LOCKS).insert({
            cluster: row.cluster,
            mesh: row.mesh,
            operation_id: id,
            acquired_at: time,
          });
        } else if (lock.operation_id !== id) {
          throw new OperationConflictError(
            `Operation ${lock.operation_id} is in progress on cluster '${row.cluster}' for mesh '${row.mesh}'`,
            lock.operation_id,
          );
        }
        const first = row.state === 'planned';
        await tx(OPERATIONS)
          .where({ id, state: row.state })
          .update({
            state: options.to,
            owner: options.owner,
            heartbeat_at: time,
            started_at: time,
            finished_at: null,
            error: null,
            updated_at: time,
            run: first ? row.run : Number(row.run) + 1,
            ...(options.currentStep !== undefined && {
              current_step: options.currentStep,
            }),
          });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const op = await this.require(id);
        throw await this.conflictError(op.cluster, op.mesh);
      }
      throw error;
    }
    return this.require(id);
  }

  /** Records which plan step is running. */
  async setCurrentStep(id: string, step: number): Promise<void> {
    await this.knex(OPERATIONS)
      .where({ id })
      .update({ current_step: step, updated_at: now() });
  }

  /** Refreshes the heartbeat of the operations `owner` runs. */
  async heartbeat(ids: string[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.knex(OPERATIONS)
      .whereIn('id', ids)
      .andWhere({ owner })
      .update({ heartbeat_at: now() });
  }

  /**
   * Ends a run in a final state. `releaseLock` frees the cluster and mesh for the next
   * operation (every final state but `interrupted`).
   */
  async finish(
    id: string,
    state: OperationState,
    options: { error?: string; releaseLock: boolean },
  ): Promise<void> {
    const time = now();
    await this.knex.transaction(async tx => {
      await tx(OPERATIONS)
        .where({ id })
        .update({
          state,
          error: options.error ?? null,
          finished_at: time,
          updated_at: time,
        });
      if (options.releaseLock) {
        await tx(LOCKS).where({ operation_id: id }).delete();
      }
    });
  }

  /**
   * Marks active operations whose heartbeat is older than `before` as `interrupted` (the backend
   * process running them died), with a line in their log; they keep the lock. Operations this
   * instance is running (`runningHere`) are never touched. Returns them.
   */
  async interruptStale(options: {
    before: string;
    /** Operations this instance is running now. */
    runningHere?: string[];
  }): Promise<Operation[]> {
    const runningHere = options.runningHere ?? [];
    const rows = await this.knex<OperationRow>(OPERATIONS)
      .whereIn('state', ACTIVE_STATES as OperationState[])
      // Runs of other instances, or runs this instance lost (it no longer executes them): a
      // live run heartbeats, so a stale heartbeat means nobody works on it.
      .modify(q => {
        if (runningHere.length) q.whereNotIn('id', runningHere);
      })
      .andWhere(q =>
        q
          .where('heartbeat_at', '<', options.before)
          .orWhereNull('heartbeat_at'),
      );
    const interrupted: Operation[] = [];
    for (const row of rows) {
      const doing =
        row.state === 'reverting'
          ? 'reverting'
          : `running step ${Number(row.current_step ?? 0) + 1}`;
      const reason = `backend instance ${
        row.owner ?? 'unknown'
      } stopped while ${doing} (last heartbeat ${row.heartbeat_at ?? 'never'})`;
      // The state and its log line in one transaction, so a reader that sees the state also
      // sees the line.
      const changed = await this.knex.transaction(async tx => {
        // Only if nothing changed since the read: the owner may have just heartbeaten or finished.
        const count = await tx(OPERATIONS)
          .where({ id: row.id, state: row.state })
          .andWhere(q =>
            row.heartbeat_at
              ? q.where('heartbeat_at', row.heartbeat_at)
              : q.whereNull('heartbeat_at'),
          )
          .update({
            state: 'interrupted',
            error: `Interrupted: ${reason}`,
            updated_at: now(),
          });
        if (count > 0) {
          const [{ max }] = await tx(LOG)
            .where({ operation_id: row.id })
            .max({ max: 'seq' });
          await tx(LOG).insert({
            operation_id: row.id,
            seq: Number(max ?? 0) + 1,
            time: now(),
            step: row.current_step ?? null,
            level: 'warn',
            message: `Interrupted: ${reason}; resume or revert it`,
          });
        }
        return count;
      });
      if (changed > 0) {
        interrupted.push((await this.get(row.id))!);
      }
    }
    return interrupted;
  }

  /** Appends a log line with the next sequence number. */
  async appendLog(
    id: string,
    entry: Omit<OperationLogEntry, 'seq' | 'time'> & { time?: string },
  ): Promise<OperationLogEntry> {
    for (let attempt = 0; ; attempt++) {
      const [{ max }] = await this.knex(LOG)
        .where({ operation_id: id })
        .max({ max: 'seq' });
      const seq = Number(max ?? 0) + 1;
      const full: OperationLogEntry = {
        seq,
        time: entry.time ?? now(),
        level: entry.level,
        message: entry.message,
        ...(entry.step !== undefined && { step: entry.step }),
      };
      try {
        await this.knex(LOG).insert({
          operation_id: id,
          seq,
          time: full.time,
          step: entry.step ?? null,
          level: entry.level,
          message: entry.message,
        });
        return full;
      } catch (error) {
        // Two writers (a run and the sweep) took the same number: take the next one.
        if (!isUniqueViolation(error) || attempt >= 5) throw error;
      }
    }
  }

  /** Log lines in order, optionally only those after `afterSeq`. */
  async listLog(id: string, afterSeq = 0): Promise<OperationLogEntry[]> {
    const rows = await this.knex(LOG)
      .where({ operation_id: id })
      .andWhere('seq', '>', afterSeq)
      .orderBy('seq');
    return rows.map(r => ({
      seq: Number(r.seq),
      time: r.time,
      level: r.level,
      message: r.message,
      ...(r.step !== null && r.step !== undefined && { step: Number(r.step) }),
    }));
  }

  /**
   * Records the state of an object before a step changed it; the first record of a step wins,
   * so re-running a step on resume keeps the state from before the operation touched it.
   */
  async recordPriorState(
    id: string,
    step: number,
    ref: ObjectRef,
    prior: KubeObject | undefined,
  ): Promise<void> {
    await this.knex(PRIORS)
      .insert({
        operation_id: id,
        step,
        ref: JSON.stringify(ref),
        prior: prior ? JSON.stringify(prior) : null,
        recorded_at: now(),
      })
      .onConflict(['operation_id', 'step'])
      .ignore();
  }

  /** Prior states of an operation's steps, in step order. */
  async listPriorStates(id: string): Promise<PriorState[]> {
    const rows = await this.knex(PRIORS)
      .where({ operation_id: id })
      .orderBy('step');
    return rows.map(r => ({
      step: Number(r.step),
      ref: JSON.parse(r.ref),
      ...(r.prior && { prior: JSON.parse(r.prior) }),
    }));
  }

  /** Records (or replaces) the desired object an operation applied. */
  async recordApplied(
    cluster: string,
    mesh: string,
    operationId: string,
    object: PlanObject,
  ): Promise<void> {
    const ref = objectRef(object);
    await this.knex(APPLIED)
      .insert({
        cluster,
        mesh,
        object_key: objectKey(ref),
        ref: JSON.stringify(ref),
        object: JSON.stringify(object),
        operation_id: operationId,
        applied_at: now(),
      })
      .onConflict(['cluster', 'mesh', 'object_key'])
      .merge();
  }

  /** Forgets a desired object (it was deleted). */
  async removeApplied(
    cluster: string,
    mesh: string,
    ref: ObjectRef,
  ): Promise<void> {
    await this.knex(APPLIED)
      .where({ cluster, mesh, object_key: objectKey(ref) })
      .delete();
  }

  /**
   * Forgets desired objects: every one of a cluster and mesh (uninstall), or only those an
   * operation recorded (its revert).
   */
  async removeAppliedOf(
    filter: { cluster: string; mesh: string } | { operationId: string },
  ): Promise<void> {
    const query = this.knex(APPLIED);
    if ('operationId' in filter) {
      query.where({ operation_id: filter.operationId });
    } else {
      query.where({ cluster: filter.cluster, mesh: filter.mesh });
    }
    await query.delete();
  }

  /**
   * The desired objects MeshStage applied on a cluster for a mesh, each with the operation that
   * applied it last, for drift detection.
   */
  async listAppliedObjects(
    cluster: string,
    mesh: string,
  ): Promise<AppliedObject[]> {
    const rows = await this.knex(APPLIED)
      .where({ cluster, mesh })
      .orderBy('object_key');
    return rows.map(r => ({
      ref: JSON.parse(r.ref),
      object: JSON.parse(r.object),
      operationId: r.operation_id,
      appliedAt: r.applied_at,
    }));
  }

  /** The 409 for a cluster and mesh whose lock is held, naming the operation holding it. */
  async conflictError(
    cluster: string,
    mesh: string,
  ): Promise<OperationConflictError> {
    const holder = (await this.lockHolder(cluster, mesh)) ?? 'unknown';
    return new OperationConflictError(
      `Operation ${holder} is in progress on cluster '${cluster}' for mesh '${mesh}'; wait for it to finish, or resume or revert it if it was interrupted`,
      holder,
    );
  }
}
