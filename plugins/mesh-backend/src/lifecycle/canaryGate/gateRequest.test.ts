import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { migrateMeshDatabase } from '../../database';
import { meshTestDatabases } from '../../database/__testUtils__/testDatabases';
import { startOperationsApp } from '../__testUtils__/operationsApp';

// `gate.profile` names a stored benchmark profile by its id, a UUID as the benchmark routes take
// it: anything else is refused by the request schema, before the cluster (nothing listens on it)
// is asked anything.

const gatedUpgrade = (profile: unknown) => ({
  action: 'upgrade',
  mesh: 'istio',
  cluster: 'dev',
  toVersion: '1.30.3',
  strategy: 'canary',
  gate: { profile, budget: { p99Increase: '20%', errorRateIncrease: 0.01 } },
});

describe('the profile of a canary gate', () => {
  const databases = meshTestDatabases();

  it.each([
    ['a profile name', 'echo-gate'],
    ['an integer id', '1'],
    ['a UUID with a stray character', '5b0e7f3c-2a41-4d8e-9c6f-1e2d3c4b5a69x'],
  ])(
    'refuses %s with a 400 naming gate.profile and starts nothing',
    async (_what, profile) => {
      const knex = await databases.init('SQLITE_3');
      await migrateMeshDatabase(knex);
      const app = startOperationsApp({
        knex,
        clusters: [{ name: 'dev', url: 'http://127.0.0.1:9', token: 't' }],
        adapters: [new IstioAdapter()],
        instanceId: 'test',
      });
      const res = await app.api.post('/operations', gatedUpgrade(profile));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        "Invalid body field 'gate.profile': Invalid uuid",
      );
      expect((await app.api.get('/operations')).body.items).toEqual([]);
      await app.runner.stop();
    },
  );
});
