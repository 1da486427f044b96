// @ts-check

/**
 * Validation scans of clusters and their findings. Timestamps are ISO-8601 strings and findings
 * JSON text, so the same queries run on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('mesh_validation_scans', table => {
    table.comment('One validation scan of one cluster');
    table.increments('id').primary();
    table.string('cluster', 255).notNullable();
    table.string('trigger', 16).notNullable().comment("'schedule' or 'manual'");
    table.string('started_at', 32).notNullable().comment('ISO-8601');
    table.string('finished_at', 32).notNullable().comment('ISO-8601');
    table
      .string('status', 16)
      .notNullable()
      .comment("'succeeded', or 'failed' when the cluster could not be read");
    table.text('error').nullable();
    table
      .integer('previous_scan_id')
      .nullable()
      .comment('The succeeded scan of the cluster this one is compared with');
    table.integer('error_count').notNullable().defaultTo(0);
    table.integer('warning_count').notNullable().defaultTo(0);
    table.integer('info_count').notNullable().defaultTo(0);
    table.integer('suppressed_count').notNullable().defaultTo(0);
    table.integer('new_count').notNullable().defaultTo(0);
    table.integer('fixed_count').notNullable().defaultTo(0);
    table
      .text('fixed')
      .notNullable()
      .comment('JSON: findings of the previous scan this one no longer has');
    table.text('meshes').notNullable().comment('JSON: adapter ids that ran');
    table.index(['cluster', 'id'], 'mesh_validation_scans_cluster_idx');
  });
  await knex.schema.createTable('mesh_validation_findings', table => {
    table.comment('The findings of a validation scan');
    table.increments('id').primary();
    table
      .integer('scan_id')
      .notNullable()
      .references('id')
      .inTable('mesh_validation_scans')
      .onDelete('CASCADE');
    table.string('fingerprint', 64).notNullable();
    table.string('code', 16).notNullable();
    table.string('severity', 8).notNullable();
    table.boolean('suppressed').notNullable();
    table.boolean('is_new').notNullable();
    table.string('namespace', 255).nullable();
    table.text('finding').notNullable().comment('JSON: the Finding');
    table.index(['scan_id'], 'mesh_validation_findings_scan_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mesh_validation_findings');
  await knex.schema.dropTable('mesh_validation_scans');
};
