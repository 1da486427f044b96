import type { Knex } from 'knex';

const TABLE = 'mesh_operation_benchmark_runs';

/**
 * Which benchmark run each benchmark step of an operation started (knex; SQLite and
 * PostgreSQL). A step that runs again (a resume) replaces its record.
 */
export class GateRunStore {
  constructor(private readonly knex: Knex) {}

  async record(operationId: string, step: number, runId: string) {
    await this.knex(TABLE)
      .insert({
        operation_id: operationId,
        step,
        run_id: runId,
        recorded_at: new Date().toISOString(),
      })
      .onConflict(['operation_id', 'step'])
      .merge(['run_id', 'recorded_at']);
  }

  /** The run of a step, if it started one. */
  async runOf(operationId: string, step: number): Promise<string | undefined> {
    const row = await this.knex(TABLE)
      .where({ operation_id: operationId, step })
      .first();
    return row?.run_id;
  }
}
