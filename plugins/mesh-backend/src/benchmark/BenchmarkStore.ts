import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { BenchmarkProfile, ProfileSpec } from './profileSchema';
import type {
  BenchmarkResult,
  BenchmarkRun,
  RunState,
  RunTarget,
} from './types';

const PROFILES = 'mesh_benchmark_profiles';
const RUNS = 'mesh_benchmark_runs';
const RESULTS = 'mesh_benchmark_results';

/** A run about to be queued. */
export interface NewRun extends RunTarget {
  profileId?: string;
  entityRef?: string;
  profile: ProfileSpec;
  trigger: BenchmarkRun['trigger'];
  createdBy: string;
}

/** Filters of {@link BenchmarkStore.listRuns}. */
export interface RunFilter {
  profileId?: string;
  entityRef?: string;
  state?: RunState;
  limit?: number;
}

const now = () => new Date().toISOString();

type Row = Record<string, any>;

function toProfile(row: Row): BenchmarkProfile {
  const spec = JSON.parse(row.spec) as ProfileSpec;
  return {
    ...spec,
    id: row.id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.last_scheduled_at
      ? { lastScheduledAt: row.last_scheduled_at }
      : {}),
  };
}

function toRun(row: Row): BenchmarkRun {
  const run: BenchmarkRun = {
    id: row.id,
    state: row.state,
    trigger: row.trigger,
    profile: JSON.parse(row.profile),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
  const optional: [keyof BenchmarkRun, unknown][] = [
    ['profileId', row.profile_id],
    ['entityRef', row.entity_ref],
    ['mesh', row.mesh],
    ['meshVersion', row.mesh_version],
    ['cluster', row.cluster],
    ['startedAt', row.started_at],
    ['finishedAt', row.finished_at],
    ['error', row.error],
  ];
  for (const [key, value] of optional) {
    if (value !== null && value !== undefined) (run as any)[key] = value;
  }
  return run;
}

function specColumns(spec: ProfileSpec) {
  return {
    name: spec.name,
    entity_ref: spec.entityRef ?? null,
    schedule: spec.schedule ?? null,
    spec: JSON.stringify(spec),
  };
}

/**
 * Profiles, runs and results in the plugin's database. Every state change is a conditional
 * UPDATE on the current state, so several backend instances sharing the database never both
 * start, finish or schedule the same thing.
 */
export class BenchmarkStore {
  constructor(private readonly knex: Knex) {}

  // Profiles

  async createProfile(
    spec: ProfileSpec,
    createdBy: string,
  ): Promise<BenchmarkProfile> {
    const id = randomUUID();
    const at = now();
    await this.knex(PROFILES).insert({
      id,
      ...specColumns(spec),
      // A new schedule starts from now: slots before the profile existed are not owed a run.
      last_scheduled_at: spec.schedule ? at : null,
      created_by: createdBy,
      created_at: at,
      updated_at: at,
    });
    return (await this.getProfile(id))!;
  }

  async getProfile(id: string): Promise<BenchmarkProfile | undefined> {
    const row = await this.knex(PROFILES).where({ id }).first();
    return row ? toProfile(row) : undefined;
  }

  async listProfiles(
    filter: { entityRef?: string } = {},
  ): Promise<BenchmarkProfile[]> {
    const q = this.knex(PROFILES).orderBy([
      { column: 'name' },
      { column: 'id' },
    ]);
    if (filter.entityRef) q.where({ entity_ref: filter.entityRef });
    return (await q).map(toProfile);
  }

  /** Replaces a profile's fields; undefined when there is no such profile. */
  async updateProfile(
    id: string,
    spec: ProfileSpec,
  ): Promise<BenchmarkProfile | undefined> {
    const existing = await this.getProfile(id);
    if (!existing) return undefined;
    const at = now();
    const scheduleChanged =
      (existing.schedule ?? null) !== (spec.schedule ?? null);
    await this.knex(PROFILES)
      .where({ id })
      .update({
        ...specColumns(spec),
        ...(scheduleChanged
          ? { last_scheduled_at: spec.schedule ? at : null }
          : {}),
        updated_at: at,
      });
    return this.getProfile(id);
  }

  /** Deletes a profile; its runs and results stay. */
  async deleteProfile(id: string): Promise<boolean> {
    return (await this.knex(PROFILES).where({ id }).delete()) > 0;
  }

  async listScheduledProfiles(): Promise<BenchmarkProfile[]> {
    return (await this.knex(PROFILES).whereNotNull('schedule')).map(toProfile);
  }

  /**
   * Queues the run of a schedule slot, once: the slot is claimed by moving the profile's
   * `last_scheduled_at` forward only if it is still before the slot, in the same transaction as
   * the insert. Of two instances (or a retry after a restart) claiming the same slot, exactly
   * one gets the run; the other gets undefined.
   */
  async claimScheduleSlot(
    profileId: string,
    slot: string,
    run: NewRun,
  ): Promise<BenchmarkRun | undefined> {
    return this.knex.transaction(async tx => {
      const claimed = await tx(PROFILES)
        .where({ id: profileId })
        .andWhere(q =>
          q
            .whereNull('last_scheduled_at')
            .orWhere('last_scheduled_at', '<', slot),
        )
        .update({ last_scheduled_at: slot });
      if (claimed !== 1) return undefined;
      return this.insertRun(tx, run);
    });
  }

  // Runs

  async createRun(run: NewRun): Promise<BenchmarkRun> {
    return this.insertRun(this.knex, run);
  }

  private async insertRun(
    db: Knex | Knex.Transaction,
    run: NewRun,
  ): Promise<BenchmarkRun> {
    const id = randomUUID();
    await db(RUNS).insert({
      id,
      profile_id: run.profileId ?? null,
      entity_ref: run.entityRef ?? null,
      state: 'queued',
      trigger: run.trigger,
      profile: JSON.stringify(run.profile),
      mesh: run.mesh ?? null,
      mesh_version: run.meshVersion ?? null,
      cluster: run.cluster ?? null,
      created_by: run.createdBy,
      created_at: now(),
    });
    const row = await db(RUNS).where({ id }).first();
    return toRun(row);
  }

  async getRun(id: string): Promise<BenchmarkRun | undefined> {
    const row = await this.knex(RUNS).where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  /** Runs, newest first. */
  async listRuns(filter: RunFilter = {}): Promise<BenchmarkRun[]> {
    const q = this.knex(RUNS)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 100);
    if (filter.profileId) q.where({ profile_id: filter.profileId });
    if (filter.entityRef) q.where({ entity_ref: filter.entityRef });
    if (filter.state) q.where({ state: filter.state });
    return (await q).map(toRun);
  }

  /**
   * Moves the oldest queued run to running and returns it; undefined when none is queued. A run
   * another instance took first is skipped.
   */
  async claimNextQueued(): Promise<BenchmarkRun | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = await this.knex(RUNS)
        .where({ state: 'queued' })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .first('id');
      if (!next) return undefined;
      const taken = await this.knex(RUNS)
        .where({ id: next.id, state: 'queued' })
        .update({ state: 'running', started_at: now(), heartbeat_at: now() });
      if (taken === 1) return this.getRun(next.id);
    }
    return undefined;
  }

  /**
   * Ends a running run, storing its result when there is one. False when the run was not
   * running (it was finished elsewhere), in which case nothing is written.
   */
  async finishRun(
    id: string,
    outcome: {
      state: 'succeeded' | 'failed' | 'cancelled';
      error?: string;
      result?: Omit<BenchmarkResult, 'runId' | 'createdAt'>;
    },
  ): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const at = now();
      const updated = await tx(RUNS)
        .where({ id, state: 'running' })
        .update({
          state: outcome.state,
          finished_at: at,
          error: outcome.error ?? null,
        });
      if (updated !== 1) return false;
      if (outcome.result) {
        await tx(RESULTS).insert({
          run_id: id,
          result: JSON.stringify(outcome.result.result),
          environment: JSON.stringify(outcome.result.environment),
          thresholds: outcome.result.thresholds
            ? JSON.stringify(outcome.result.thresholds)
            : null,
          created_at: at,
        });
      }
      return true;
    });
  }

  /** Cancels a run that has not started; false when it is no longer queued. */
  async cancelQueued(id: string): Promise<boolean> {
    const at = now();
    const n = await this.knex(RUNS).where({ id, state: 'queued' }).update({
      state: 'cancelled',
      cancel_requested_at: at,
      finished_at: at,
    });
    return n === 1;
  }

  /** Marks a running run for cancellation by whichever instance runs it. */
  async requestCancel(id: string): Promise<boolean> {
    const n = await this.knex(RUNS)
      .where({ id, state: 'running' })
      .update({ cancel_requested_at: now() });
    return n === 1;
  }

  async isCancelRequested(id: string): Promise<boolean> {
    const row = await this.knex(RUNS)
      .where({ id })
      .first('cancel_requested_at');
    return Boolean(row?.cancel_requested_at);
  }

  /**
   * Records that the executing instance is alive, and tells it whether a cancel was requested
   * elsewhere.
   */
  async heartbeat(id: string): Promise<{ cancelRequested: boolean }> {
    await this.knex(RUNS)
      .where({ id, state: 'running' })
      .update({ heartbeat_at: now() });
    return { cancelRequested: await this.isCancelRequested(id) };
  }

  /**
   * Fails running runs whose executing instance stopped beating before `staleBefore` (ISO); all
   * running runs when absent. Returns how many.
   */
  async failRunning(error: string, staleBefore?: string): Promise<number> {
    const q = this.knex(RUNS).where({ state: 'running' });
    if (staleBefore) {
      q.andWhere(w =>
        w.whereNull('heartbeat_at').orWhere('heartbeat_at', '<', staleBefore),
      );
    }
    return q.update({ state: 'failed', error, finished_at: now() });
  }

  // Results

  async getResult(runId: string): Promise<BenchmarkResult | undefined> {
    const row = await this.knex(RESULTS).where({ run_id: runId }).first();
    if (!row) return undefined;
    return {
      runId: row.run_id,
      result: JSON.parse(row.result),
      environment: JSON.parse(row.environment),
      ...(row.thresholds ? { thresholds: JSON.parse(row.thresholds) } : {}),
      createdAt: row.created_at,
    };
  }
}
