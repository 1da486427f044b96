// @ts-check

/**
 * Canary gates: the benchmark run each benchmark step of an operation started, so the gate step
 * after them compares those runs, on a resume too. The runs themselves are ordinary benchmark
 * runs (mesh_benchmark_runs), listed in the Performance tab. No foreign keys, like the other
 * operation tables.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mesh_operation_benchmark_runs', table => {
    table.comment(
      'The benchmark run of each benchmark step of an operation (the latest when a step ran again)',
    );
    table.string('operation_id', 36).notNullable();
    table.integer('step').notNullable().comment('Plan step index');
    table.string('run_id', 64).notNullable().comment('mesh_benchmark_runs.id');
    table.string('recorded_at', 32).notNullable().comment('ISO-8601');
    table.primary(['operation_id', 'step']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mesh_operation_benchmark_runs');
};
