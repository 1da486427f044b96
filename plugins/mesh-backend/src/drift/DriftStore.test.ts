import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { DriftStore } from './DriftStore';

const report = (cluster: string, mesh: string, drifted: boolean) => ({
  cluster,
  mesh,
  checkedAt: '2026-11-25T12:00:00.000Z',
  drifted,
  objects: [],
});

// Databases (PostgreSQL too) are set up per test: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(60_000);

describe('DriftStore', () => {
  const databases = meshTestDatabases();

  it.each(databases.eachSupportedId())(
    'keeps the latest report per cluster and mesh and lists the targets operations applied to, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateMeshDatabase(knex);
      const store = new DriftStore(knex);
      await store.save(report('dev', 'istio', false));
      await store.save(report('dev', 'istio', true));
      await store.save(report('dev', 'linkerd', false));
      await store.save(report('prod', 'istio', false));
      expect(
        (await store.list({ cluster: 'dev' })).map(r => [r.mesh, r.drifted]),
      ).toEqual([
        ['istio', true],
        ['linkerd', false],
      ]);
      expect(await store.list({ mesh: 'istio' })).toHaveLength(2);

      const applied = (cluster: string, mesh: string, key: string) => ({
        cluster,
        mesh,
        object_key: key,
        ref: '{}',
        object: '{}',
        operation_id: '00000000-0000-0000-0000-000000000000',
        applied_at: '2026-11-25T12:00:00.000Z',
      });
      await knex('mesh_applied_objects').insert([
        applied('dev', 'istio', 'a'),
        applied('dev', 'istio', 'b'),
        applied('b-cluster', 'linkerd', 'a'),
      ]);
      expect(await store.targets()).toEqual([
        { cluster: 'b-cluster', mesh: 'linkerd' },
        { cluster: 'dev', mesh: 'istio' },
      ]);
    },
  );
});
