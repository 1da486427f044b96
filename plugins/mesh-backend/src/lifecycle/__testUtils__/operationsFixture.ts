import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import { startKubeSim } from '@meshstage/kube-sim';
import { HttpClusterView, type MeshAdapter } from '@meshstage/plugin-mesh-node';
import { migrateMeshDatabase } from '../../database';
import { startOperationsApp } from './operationsApp';

const EXAMPLE_CLUSTER = path.resolve(
  __dirname,
  '../../../../../examples/cluster',
);

/**
 * What the lifecycle REST tests share: a kube-sim seeded like the dev cluster (`dev`), a migrated
 * SQLite database, and one operations app with the adapter under test. Call in `beforeAll`;
 * `stop()` in `afterAll`.
 */
export async function startOperationsFixture(
  databases: TestDatabases,
  adapter: MeshAdapter,
) {
  const sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
  const cluster = new HttpClusterView({
    url: sim.url,
    token: sim.token,
    name: 'dev',
  });
  const knex = await databases.init('SQLITE_3');
  await migrateMeshDatabase(knex);
  const app = startOperationsApp({
    knex,
    clusters: [{ name: 'dev', url: sim.url, token: sim.token }],
    adapters: [adapter],
    instanceId: 'test-instance',
  });
  return {
    sim,
    cluster,
    app,
    async stop() {
      await app.runner.stop();
      await sim.close();
    },
  };
}
