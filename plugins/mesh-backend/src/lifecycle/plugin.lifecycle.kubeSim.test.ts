import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import request from 'supertest';
import { migrateMeshDatabase } from '../database';
import { meshTestDatabases } from '../database/__testUtils__/testDatabases';
import { meshPlugin } from '../plugin';
import { OperationStore } from './OperationStore';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';

const EXAMPLE_CLUSTER = path.resolve(__dirname, '../../../../examples/cluster');

// The lifecycle feature as plugin.ts wires it: routes under /api/mesh, and the sweep at plugin
// start that marks operations of a backend that died interrupted.
// Real clusters and rollouts: generous when the machine is busy.
jest.setTimeout(180_000);

describe('lifecycle operations in the mesh plugin', () => {
  const databases = meshTestDatabases();
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubeSim({ seed: [EXAMPLE_CLUSTER] });
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });
  afterAll(() => sim?.close());

  it.each(databases.eachSupportedId())(
    'serves /api/mesh/operations and interrupts a dead instance’s operation at start, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateMeshDatabase(knex);
      // A previous backend process died while installing.
      const store = new OperationStore(knex);
      const request0 = {
        action: 'install' as const,
        mesh: 'istio',
        cluster: 'dev',
        version: '1.23.4',
      };
      const dead = await store.create({
        request: request0,
        plan: { request: request0, summary: 'Install Istio', steps: [] },
        createdBy: 'user:default/ann',
        owner: 'dead-instance',
      });
      await knex('mesh_operations')
        .where({ id: dead.id })
        .update({ state: 'running', heartbeat_at: '2020-01-01T00:00:00.000Z' });

      backend = await startTestBackend({
        features: [
          meshPlugin,
          istioModule,
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: [] }),
          mockServices.rootConfig.factory({
            data: {
              ...kubernetesClustersConfig([
                { name: 'dev', url: sim.url, token: sim.token },
              ]),
            },
          }),
        ],
      });

      const detail = await request(backend.server).get(
        `/api/mesh/operations/${dead.id}`,
      );
      expect(detail.status).toBe(200);
      expect(detail.body.operation.state).toBe('interrupted');
      expect(detail.body.log.map((l: any) => l.message)).toEqual([
        expect.stringMatching(/^Interrupted: backend instance dead-instance/),
      ]);

      // It keeps the lock: a new install is refused with its id.
      const refused = await request(backend.server)
        .post('/api/mesh/operations')
        .send(request0);
      expect(refused.status).toBe(409);
      expect(refused.body.operationId).toBe(dead.id);
      // A full Backstage error body, so the frontend's ResponseError reads its message.
      expect(refused.body).toMatchObject({
        error: { name: 'ConflictError' },
        request: { method: 'POST', url: '/api/mesh/operations' },
        response: { statusCode: 409 },
      });

      const dry = await request(backend.server)
        .post('/api/mesh/operations')
        .send({ ...request0, dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body.diff).toMatch(/^# Install Istio 1\.23\.4/);
    },
  );
});
