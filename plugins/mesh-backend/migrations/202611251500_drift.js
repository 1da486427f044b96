// @ts-check

/**
 * Drift reports: the latest comparison of what operations applied with the live objects, per
 * cluster and mesh (the scheduled check and on-demand checks overwrite it). JSON is text and
 * times are ISO-8601 strings, as in the other tables.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mesh_drift_reports', table => {
    table.comment('The latest drift report per cluster and mesh');
    table.string('cluster', 255).notNullable();
    table.string('mesh', 64).notNullable();
    table.string('checked_at', 32).notNullable().comment('ISO-8601');
    table.boolean('drifted').notNullable();
    table.text('report').notNullable().comment('JSON: the DriftReport');
    table.primary(['cluster', 'mesh']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mesh_drift_reports');
};
