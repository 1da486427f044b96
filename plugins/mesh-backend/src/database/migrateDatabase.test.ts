import fs from 'node:fs';
import path from 'node:path';
import { migrateMeshDatabase } from './migrateDatabase';
import { meshTestDatabases } from './__testUtils__/testDatabases';

const migrationFiles = fs
  .readdirSync(path.resolve(__dirname, '../../migrations'))
  .filter(f => f.endsWith('.js'));

// Databases (PostgreSQL too) are set up per test: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

describe('mesh database migrations', () => {
  const databases = meshTestDatabases();

  it.each(databases.eachSupportedId())(
    'apply, roll back completely and apply again on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateMeshDatabase(knex);
      const applied = await knex('knex_migrations').count({ n: '*' });
      expect(Number(applied[0].n)).toBe(migrationFiles.length);

      // Every down() must undo its up(): a second latest() after a full rollback recreates the
      // same tables without "already exists" errors.
      await knex.migrate.rollback(
        { directory: path.resolve(__dirname, '../../migrations') },
        true,
      );
      await migrateMeshDatabase(knex);
      const again = await knex('knex_migrations').count({ n: '*' });
      expect(Number(again[0].n)).toBe(migrationFiles.length);
    },
  );
});
