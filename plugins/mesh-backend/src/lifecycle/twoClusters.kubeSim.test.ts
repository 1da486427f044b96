import {
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { startKubeSim } from '@meshstage/kube-sim';
import istioModule from '@meshstage/plugin-mesh-backend-module-istio';
import linkerdModule from '@meshstage/plugin-mesh-backend-module-linkerd';
import request from 'supertest';
import { meshPlugin } from '../plugin';
import { kubernetesClustersConfig } from '../__testUtils__/kubernetesConfig';
import { runOperation } from '../__testUtils__/runOperation';

// Real rollouts on two simulated clusters: generous when the machine is busy.
jest.setTimeout(180_000);

// Several clusters at once are the normal case: two kube-sim instances configured as two
// Kubernetes-plugin clusters, Istio installed on one and Linkerd on the other through the REST
// API, each seen where it is and only there.
describe('two clusters, two meshes', () => {
  let east: Awaited<ReturnType<typeof startKubeSim>>;
  let west: Awaited<ReturnType<typeof startKubeSim>>;
  let backend: TestBackend;

  beforeAll(async () => {
    [east, west] = await Promise.all([startKubeSim(), startKubeSim()]);
    backend = await startTestBackend({
      features: [
        meshPlugin,
        istioModule,
        linkerdModule,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...kubernetesClustersConfig([
              { name: 'east', url: east.url, token: east.token },
              { name: 'west', url: west.url, token: west.token },
            ]),
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([east?.close(), west?.close()]);
  });

  const api = () => request(backend.server);

  const operate = async (body: Record<string, unknown>) =>
    (await runOperation(backend.server, body)).state;

  it('installs Istio on east and Linkerd on west at the same time and shows each only where it runs', async () => {
    // Different clusters do not share a lock: both run at once.
    const states = await Promise.all([
      operate({
        action: 'install',
        mesh: 'istio',
        cluster: 'east',
        version: '1.24.2',
      }),
      operate({
        action: 'install',
        mesh: 'linkerd',
        cluster: 'west',
        version: 'stable-2.14.10',
      }),
    ]);
    expect(states).toEqual(['succeeded', 'succeeded']);

    const status = await api().get('/api/mesh/status');
    expect(status.status).toBe(200);
    expect(
      status.body.items.map((s: any) => [
        s.cluster,
        s.mesh,
        s.installed,
        s.versions,
      ]),
    ).toEqual([
      ['east', 'istio', true, ['1.24.2']],
      ['east', 'linkerd', false, []],
      ['west', 'istio', false, []],
      ['west', 'linkerd', true, ['stable-2.14.10']],
    ]);

    const westOnly = await api().get('/api/mesh/operations?cluster=west');
    expect(
      westOnly.body.items.map((o: any) => [o.cluster, o.mesh, o.state]),
    ).toEqual([['west', 'linkerd', 'succeeded']]);
  });
});
