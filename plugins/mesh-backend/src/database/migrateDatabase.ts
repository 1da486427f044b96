import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@meshstage/plugin-mesh-backend',
  'migrations',
);

/**
 * Opens the plugin's database and brings its schema up to date, unless the operator asked
 * Backstage to skip migrations (`backend.database.plugin.mesh.skipMigrations` or the global flag).
 */
export async function openMeshDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateMeshDatabase(knex);
  }
  return knex;
}

/** Runs every pending migration in `plugins/mesh-backend/migrations`. */
export async function migrateMeshDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}
