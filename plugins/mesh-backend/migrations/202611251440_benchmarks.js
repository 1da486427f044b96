// @ts-check

// Benchmarks (issue 5): performance profiles, runs and their results. Timestamps are ISO-8601
// strings in UTC (they sort as text on SQLite and PostgreSQL alike); JSON is text we serialize.

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('mesh_benchmark_profiles', table => {
    table.string('id', 64).primary();
    table.string('name', 255).notNullable();
    // Absent for global profiles.
    table.string('entity_ref', 255).nullable().index();
    // The whole validated profile (ProfileSpec) as JSON.
    table.text('spec').notNullable();
    table.string('schedule', 255).nullable();
    // The last cron slot a run was queued for: claimed with a conditional UPDATE so two
    // backend instances (or a restart) never queue the same slot twice.
    table.string('last_scheduled_at', 32).nullable();
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
  });

  await knex.schema.createTable('mesh_benchmark_runs', table => {
    table.string('id', 64).primary();
    // No foreign key: deleting a profile keeps its runs (they carry the profile as run).
    table.string('profile_id', 64).nullable().index();
    table.string('entity_ref', 255).nullable().index();
    // queued | running | succeeded | failed | cancelled
    table.string('state', 16).notNullable().index();
    // manual | schedule
    table.string('trigger', 16).notNullable();
    table.text('profile').notNullable();
    table.string('mesh', 64).nullable();
    table.string('mesh_version', 64).nullable();
    table.string('cluster', 255).nullable();
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable().index();
    table.string('started_at', 32).nullable();
    table.string('finished_at', 32).nullable();
    // Written every second by the instance executing the run: a running run whose heartbeat
    // stopped belongs to a backend that is gone (restart, crash) and is failed.
    table.string('heartbeat_at', 32).nullable();
    // Set by a cancel request that reached a backend instance other than the one running it.
    table.string('cancel_requested_at', 32).nullable();
    table.text('error').nullable();
  });

  await knex.schema.createTable('mesh_benchmark_results', table => {
    table.string('run_id', 64).primary();
    // loadgen's LoadResult as JSON, with its encoded HDR histograms.
    table.text('result').notNullable();
    // { loadgenVersion, nodeVersion, hostname, threads, runner }
    table.text('environment').notNullable();
    // { passed, broken: string[] } when the profile had thresholds.
    table.text('thresholds').nullable();
    table.string('created_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mesh_benchmark_results');
  await knex.schema.dropTable('mesh_benchmark_runs');
  await knex.schema.dropTable('mesh_benchmark_profiles');
};
