// @ts-check

/**
 * Catalog-driven onboarding: an operation the backend started by itself records why (its cause:
 * the entities whose annotations asked for it). `cause_kind` is the cause's kind on its own, so
 * the onboarding can read its operations without parsing every row's JSON.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('mesh_operations', table => {
    table
      .string('cause_kind', 32)
      .nullable()
      .comment('onboarding; null for operations a person or client started');
    table
      .text('cause')
      .nullable()
      .comment('JSON: the OperationCause (kind and entity refs)');
    table.index(['cause_kind', 'created_at'], 'mesh_operations_cause_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('mesh_operations', table => {
    table.dropIndex(['cause_kind', 'created_at'], 'mesh_operations_cause_idx');
    table.dropColumn('cause');
    table.dropColumn('cause_kind');
  });
};
