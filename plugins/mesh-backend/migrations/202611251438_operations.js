// @ts-check

/**
 * Lifecycle operations: one row per operation with its plan and state, the one-operation-per-
 * cluster-and-mesh lock, the step log, the prior state of every object a step changed (for
 * revert) and the desired objects operations applied (for drift detection). Timestamps are
 * ISO-8601 strings and JSON is text, so the same queries run on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mesh_operations', table => {
    table.comment(
      'One lifecycle operation (install, upgrade ...) on a cluster and mesh',
    );
    table.string('id', 36).primary().comment('uuid');
    table.string('cluster', 255).notNullable();
    table.string('mesh', 64).notNullable();
    table.string('action', 32).notNullable();
    table.text('request').notNullable().comment('JSON: the LifecycleRequest');
    table.text('plan').notNullable().comment('JSON: the Plan');
    table.text('summary').notNullable();
    table
      .string('state', 32)
      .notNullable()
      .comment(
        'planned, running, succeeded, failed, interrupted, reverting, reverted, revert-failed',
      );
    table.string('created_by', 255).notNullable().comment('user entity ref');
    table.string('created_at', 32).notNullable().comment('ISO-8601');
    table.string('updated_at', 32).notNullable().comment('ISO-8601');
    table.string('started_at', 32).nullable().comment('ISO-8601, latest run');
    table.string('finished_at', 32).nullable().comment('ISO-8601, latest run');
    table.text('error').nullable();
    table
      .integer('current_step')
      .nullable()
      .comment('Index of the step running, or that failed or was interrupted');
    table
      .text('previous_detection')
      .nullable()
      .comment("JSON: the adapter's detect() result before execution");
    table
      .string('owner', 64)
      .nullable()
      .comment('Instance id of the backend process running it');
    table.string('heartbeat_at', 32).nullable().comment('ISO-8601');
    table
      .integer('run')
      .notNullable()
      .defaultTo(1)
      .comment('1 for the first execution; resume and revert add one');
    table.index(
      ['cluster', 'mesh', 'created_at'],
      'mesh_operations_target_idx',
    );
    table.index(['state'], 'mesh_operations_state_idx');
  });

  await knex.schema.createTable('mesh_operation_locks', table => {
    table.comment(
      'At most one unfinished operation per cluster and mesh: the primary key is the lock',
    );
    table.string('cluster', 255).notNullable();
    table.string('mesh', 64).notNullable();
    table.string('operation_id', 36).notNullable();
    table.string('acquired_at', 32).notNullable().comment('ISO-8601');
    table.primary(['cluster', 'mesh']);
  });

  await knex.schema.createTable('mesh_operation_log', table => {
    table.comment('The step log of an operation, in order');
    table.string('operation_id', 36).notNullable();
    table.integer('seq').notNullable();
    table.string('time', 32).notNullable().comment('ISO-8601');
    table.integer('step').nullable().comment('Plan step index, if any');
    table.string('level', 8).notNullable().comment('info, warn or error');
    table.text('message').notNullable();
    table.primary(['operation_id', 'seq']);
  });

  await knex.schema.createTable('mesh_operation_prior_states', table => {
    table.comment(
      'The live object (or its absence) before a step of an operation changed it, for revert',
    );
    table.string('operation_id', 36).notNullable();
    table.integer('step').notNullable();
    table.text('ref').notNullable().comment('JSON: ObjectRef');
    table
      .text('prior')
      .nullable()
      .comment('JSON object; null when it did not exist');
    table.string('recorded_at', 32).notNullable().comment('ISO-8601');
    table.primary(['operation_id', 'step']);
  });

  await knex.schema.createTable('mesh_applied_objects', table => {
    table.comment(
      'The desired objects operations applied, per cluster, mesh and object; the latest wins',
    );
    table.string('cluster', 255).notNullable();
    table.string('mesh', 64).notNullable();
    table
      .string('object_key', 700)
      .notNullable()
      .comment('apiVersion|kind|namespace|name');
    table.text('ref').notNullable().comment('JSON: ObjectRef');
    table.text('object').notNullable().comment('JSON: the object as applied');
    table.string('operation_id', 36).notNullable();
    table.string('applied_at', 32).notNullable().comment('ISO-8601');
    table.primary(['cluster', 'mesh', 'object_key']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mesh_applied_objects');
  await knex.schema.dropTable('mesh_operation_prior_states');
  await knex.schema.dropTable('mesh_operation_log');
  await knex.schema.dropTable('mesh_operation_locks');
  await knex.schema.dropTable('mesh_operations');
};
