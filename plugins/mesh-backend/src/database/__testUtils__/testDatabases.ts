import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases the store tests run on: SQLite always, and PostgreSQL when a server is given
 * through `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING` (`.ci/run` starts Debian's
 * PostgreSQL 15 and sets it). Never Docker: no engine runs here.
 */
export function meshTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    ids.push('POSTGRES_15');
  }
  return TestDatabases.create({ ids, disableDocker: true });
}
