import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import { IstioAdapter } from '@meshstage/plugin-mesh-backend-module-istio';
import { migrateMeshDatabase } from '../../database';
import { meshTestDatabases } from '../../database/__testUtils__/testDatabases';
import { startOperationsApp } from '../__testUtils__/operationsApp';

// A gated canary runs benchmarks, so it needs the benchmark permissions beside the upgrade's.
// Refused before anything is planned: the cluster (nothing listens on it) is never called.

// A stored profile's id (a UUID); none is stored, and none is read before the refusal.
const PROFILE_ID = '5b0e7f3c-2a41-4d8e-9c6f-1e2d3c4b5a69';

const gated = {
  action: 'upgrade',
  mesh: 'istio',
  cluster: 'dev',
  toVersion: '1.30.3',
  strategy: 'canary',
  gate: {
    profile: PROFILE_ID,
    budget: { p99Increase: '20%', errorRateIncrease: 0.01 },
  },
};

describe('permissions of gated canary upgrades', () => {
  const databases = meshTestDatabases();

  async function appDenying(denied: string) {
    const knex = await databases.init('SQLITE_3');
    await migrateMeshDatabase(knex);
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(
          (r): DefinitivePolicyDecision => ({
            result:
              'permission' in r && r.permission.name === denied
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ),
    });
    return startOperationsApp({
      knex,
      clusters: [{ name: 'dev', url: 'http://127.0.0.1:9', token: 't' }],
      adapters: [new IstioAdapter()],
      instanceId: 'test',
      permissions,
    });
  }

  it('needs mesh.benchmark.run to start one, and audits the refusal', async () => {
    const app = await appDenying('mesh.benchmark.run');
    const res = await app.api.post('/operations', gated);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Not allowed (permission mesh.benchmark.run)',
    );
    expect((await app.api.get('/operations')).body.items).toEqual([]);
    expect(app.audit).toEqual([
      {
        eventId: 'mesh-operation-create',
        meta: {
          action: 'upgrade',
          cluster: 'dev',
          mesh: 'istio',
          gateProfile: PROFILE_ID,
          gateBudget: 'p99 +20%, error rate +0.01',
        },
        outcome: 'fail',
        error: 'Not allowed (permission mesh.benchmark.run)',
      },
    ]);
    await app.runner.stop();
  });

  it('needs mesh.benchmark.read for its dry run, which shows the profile', async () => {
    const app = await appDenying('mesh.benchmark.read');
    const res = await app.api.post('/operations', { ...gated, dryRun: true });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Not allowed (permission mesh.benchmark.read)',
    );
    await app.runner.stop();
  });
});
