// @ts-check

const { randomUUID } = require('node:crypto');

/**
 * One id scheme (issue 17): validation scans get UUID ids, like operations and benchmark runs.
 * Every stored scan gets a new UUID, and `previous_scan_id` and each finding's `scan_id` are
 * remapped to it. UUIDs have no order, so `seq` keeps the order "latest scan", the history and
 * pruning read: it is the old integer id for the scans already stored, and counts on for new ones.
 *
 * SQLite can change neither a column's type nor a primary key in place, so on both databases the
 * two tables are built anew under a temporary name, filled with INSERT ... SELECT, and swapped in.
 * knex runs each migration in a transaction (SQLite and PostgreSQL both have transactional DDL):
 * if any step fails, the integer tables are left as they were.
 */

const SCANS = 'mesh_validation_scans';
const FINDINGS = 'mesh_validation_findings';
const SCANS_NEXT = `${SCANS}_next`;
const FINDINGS_NEXT = `${FINDINGS}_next`;
/** Old integer id to new UUID, for the INSERT ... SELECT joins; dropped at the end. */
const ID_MAP = 'mesh_validation_scan_ids';

/** The scan columns both schemas share (what a scan is, apart from its ids). */
const SCAN_DATA = [
  'cluster',
  'trigger',
  'started_at',
  'finished_at',
  'status',
  'error',
  'error_count',
  'warning_count',
  'info_count',
  'suppressed_count',
  'new_count',
  'fixed_count',
  'fixed',
  'meshes',
];

/** The finding columns both schemas share. */
const FINDING_DATA = [
  'fingerprint',
  'code',
  'severity',
  'suppressed',
  'is_new',
  'namespace',
  'finding',
];

/**
 * Adds the columns of {@link SCAN_DATA}, as `202611251437_validation.js` declared them.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function scanDataColumns(table) {
  table.string('cluster', 255).notNullable();
  table.string('trigger', 16).notNullable().comment("'schedule' or 'manual'");
  table.string('started_at', 32).notNullable().comment('ISO-8601');
  table.string('finished_at', 32).notNullable().comment('ISO-8601');
  table
    .string('status', 16)
    .notNullable()
    .comment("'succeeded', or 'failed' when the cluster could not be read");
  table.text('error').nullable();
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
}

/**
 * Adds the columns of {@link FINDING_DATA}.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function findingDataColumns(table) {
  table.string('fingerprint', 64).notNullable();
  table.string('code', 16).notNullable();
  table.string('severity', 8).notNullable();
  table.boolean('suppressed').notNullable();
  table.boolean('is_new').notNullable();
  table.string('namespace', 255).nullable();
  table.text('finding').notNullable().comment('JSON: the Finding');
}

/**
 * `INSERT INTO into (columns) <select>`, identifiers quoted by knex.
 *
 * @param {import('knex').Knex} knex
 * @param {string} into
 * @param {string[]} columns
 * @param {string} select SQL with `??` for identifiers
 * @param {string[]} bindings
 */
function insertSelect(knex, into, columns, select, bindings) {
  return knex.raw(
    `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) ${select}`,
    [into, ...columns, ...bindings],
  );
}

/** @param {import('knex').Knex} knex */
const isPostgres = knex => knex.client.dialect === 'postgresql';

/**
 * After rows were copied with their integer keys, PostgreSQL's serial sequence must continue
 * after them (SQLite's AUTOINCREMENT does so by itself).
 *
 * @param {import('knex').Knex} knex
 * @param {string} table
 * @param {string} column
 */
async function continueSequence(knex, table, column) {
  if (!isPostgres(knex)) return;
  await knex.raw(
    `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(??) FROM ??), 0) + 1, false)`,
    [table, column, column, table],
  );
}

/**
 * Moves the tables built under temporary names to the real ones, with their indexes. On
 * PostgreSQL the primary key and serial sequence carry the table's name from creation: they are
 * renamed too, so the schema reads as if created with the final names.
 *
 * @param {import('knex').Knex} knex
 * @param {{ from: string; key: string; indexes: (table: import('knex').Knex.AlterTableBuilder) => void }} scans
 * @param {{ from: string; indexes: (table: import('knex').Knex.AlterTableBuilder) => void }} findings
 */
async function swapIn(knex, scans, findings) {
  await knex.schema.dropTable(FINDINGS);
  await knex.schema.dropTable(SCANS);
  // SQLite rewrites the findings' foreign key to follow the renamed table, as PostgreSQL does.
  await knex.schema.renameTable(scans.from, SCANS);
  await knex.schema.renameTable(findings.from, FINDINGS);
  await knex.schema.alterTable(SCANS, scans.indexes);
  await knex.schema.alterTable(FINDINGS, findings.indexes);
  if (!isPostgres(knex)) return;
  for (const [table, from, key] of [
    [SCANS, scans.from, scans.key],
    [FINDINGS, findings.from, 'id'],
  ]) {
    await knex.raw('ALTER TABLE ?? RENAME CONSTRAINT ?? TO ??', [
      table,
      `${from}_pkey`,
      `${table}_pkey`,
    ]);
    // pg_get_serial_sequence answers the sequence's name already quoted (and schema-qualified).
    const { rows } = await knex.raw(
      'SELECT pg_get_serial_sequence(?, ?) AS name',
      [table, key],
    );
    await knex.raw(`ALTER SEQUENCE ${rows[0].name} RENAME TO ??`, [
      `${table}_${key}_seq`,
    ]);
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(SCANS_NEXT, table => {
    table.comment('One validation scan of one cluster');
    table
      .increments('seq')
      .primary()
      .comment('Order of recording: the latest scan has the highest');
    table
      .string('id', 36)
      .notNullable()
      .unique({ indexName: `${SCANS}_id_unique` })
      .comment('uuid');
    scanDataColumns(table);
    table
      .string('previous_scan_id', 36)
      .nullable()
      .comment('The succeeded scan of the cluster this one is compared with');
  });
  await knex.schema.createTable(FINDINGS_NEXT, table => {
    table.comment('The findings of a validation scan');
    table.increments('id').primary();
    table
      .string('scan_id', 36)
      .notNullable()
      .references('id')
      .inTable(SCANS_NEXT)
      .onDelete('CASCADE')
      .withKeyName(`${FINDINGS}_scan_id_foreign`);
    findingDataColumns(table);
  });

  // Every stored id gets a UUID, also ids that only `previous_scan_id` still names (the scan
  // itself pruned): such a reference stays a reference, to a scan that is gone, as before.
  const scans = await knex(SCANS).select('id', 'previous_scan_id');
  /** @type {Map<number, string>} */
  const ids = new Map();
  for (const row of scans) {
    for (const id of [row.id, row.previous_scan_id]) {
      if (id !== null && !ids.has(Number(id))) {
        ids.set(Number(id), randomUUID());
      }
    }
  }
  await knex.schema.createTable(ID_MAP, table => {
    table.integer('old_id').primary();
    table.string('new_id', 36).notNullable();
  });
  await knex.batchInsert(
    ID_MAP,
    [...ids].map(([oldId, newId]) => ({ old_id: oldId, new_id: newId })),
    500,
  );

  await insertSelect(
    knex,
    SCANS_NEXT,
    ['seq', 'id', 'previous_scan_id', ...SCAN_DATA],
    `SELECT s.??, m.??, p.??, ${SCAN_DATA.map(() => 's.??').join(', ')}
       FROM ?? s JOIN ?? m ON m.?? = s.?? LEFT JOIN ?? p ON p.?? = s.??`,
    [
      'id',
      'new_id',
      'new_id',
      ...SCAN_DATA,
      SCANS,
      ID_MAP,
      'old_id',
      'id',
      ID_MAP,
      'old_id',
      'previous_scan_id',
    ],
  );
  await insertSelect(
    knex,
    FINDINGS_NEXT,
    ['id', 'scan_id', ...FINDING_DATA],
    `SELECT f.??, m.??, ${FINDING_DATA.map(() => 'f.??').join(', ')}
       FROM ?? f JOIN ?? m ON m.?? = f.??`,
    ['id', 'new_id', ...FINDING_DATA, FINDINGS, ID_MAP, 'old_id', 'scan_id'],
  );
  await continueSequence(knex, SCANS_NEXT, 'seq');
  await continueSequence(knex, FINDINGS_NEXT, 'id');
  await knex.schema.dropTable(ID_MAP);

  await swapIn(
    knex,
    {
      from: SCANS_NEXT,
      key: 'seq',
      indexes: table => table.index(['cluster', 'seq'], `${SCANS}_cluster_idx`),
    },
    {
      from: FINDINGS_NEXT,
      indexes: table => table.index(['scan_id'], `${FINDINGS}_scan_idx`),
    },
  );
};

/**
 * Back to integer ids: a scan's integer id is its `seq` (for scans stored before `up`, the id
 * they had). A `previous_scan_id` naming a scan that is no longer stored has no integer to go
 * back to and becomes null; everything else is kept.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const scansPrev = `${SCANS}_prev`;
  const findingsPrev = `${FINDINGS}_prev`;
  await knex.schema.createTable(scansPrev, table => {
    table.comment('One validation scan of one cluster');
    table.increments('id').primary();
    scanDataColumns(table);
    table
      .integer('previous_scan_id')
      .nullable()
      .comment('The succeeded scan of the cluster this one is compared with');
  });
  await knex.schema.createTable(findingsPrev, table => {
    table.comment('The findings of a validation scan');
    table.increments('id').primary();
    table
      .integer('scan_id')
      .notNullable()
      .references('id')
      .inTable(scansPrev)
      .onDelete('CASCADE')
      .withKeyName(`${FINDINGS}_scan_id_foreign`);
    findingDataColumns(table);
  });
  await insertSelect(
    knex,
    scansPrev,
    ['id', 'previous_scan_id', ...SCAN_DATA],
    `SELECT s.??, p.??, ${SCAN_DATA.map(() => 's.??').join(', ')}
       FROM ?? s LEFT JOIN ?? p ON p.?? = s.??`,
    ['seq', 'seq', ...SCAN_DATA, SCANS, SCANS, 'id', 'previous_scan_id'],
  );
  await insertSelect(
    knex,
    findingsPrev,
    ['id', 'scan_id', ...FINDING_DATA],
    `SELECT f.??, s.??, ${FINDING_DATA.map(() => 'f.??').join(', ')}
       FROM ?? f JOIN ?? s ON s.?? = f.??`,
    ['id', 'seq', ...FINDING_DATA, FINDINGS, SCANS, 'id', 'scan_id'],
  );
  await continueSequence(knex, scansPrev, 'id');
  await continueSequence(knex, findingsPrev, 'id');
  await swapIn(
    knex,
    {
      from: scansPrev,
      key: 'id',
      indexes: table => table.index(['cluster', 'id'], `${SCANS}_cluster_idx`),
    },
    {
      from: findingsPrev,
      indexes: table => table.index(['scan_id'], `${FINDINGS}_scan_idx`),
    },
  );
};
