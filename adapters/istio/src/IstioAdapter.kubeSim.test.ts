import path from 'node:path';
import { startKubeSim } from '@meshstage/kube-sim';
import {
  HttpClusterView,
  deleteTestPods,
  eventually,
  patchTestNamespace,
} from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from './IstioAdapter';

// A simulated cluster and real rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

// The adapter against the simulated cluster: real list responses, real controllers and the
// simulator's sidecar injection, instead of hand-built objects.
describe('IstioAdapter on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let cluster: HttpClusterView;
  const adapter = new IstioAdapter();

  beforeAll(async () => {
    sim = await startKubeSim({
      seed: [
        path.resolve(__dirname, '../../../examples/cluster'),
        path.resolve(__dirname, '__fixtures__/cluster'),
      ],
    });
    cluster = new HttpClusterView({
      url: sim.url,
      token: sim.token,
      name: 'sim',
    });
  });

  afterAll(() => sim?.close());

  it('finds the revisioned istiod and, once bookinfo is bound to it, its sidecars', async () => {
    const installed = await eventually(async () => {
      const s = await adapter.detect(cluster);
      return s.components[0]?.healthy ? s : undefined;
    });
    expect(installed).toMatchObject({
      installed: true,
      versions: ['1.23.4'],
      revisions: ['1-23-4'],
      components: [
        {
          name: 'istiod-1-23-4',
          namespace: 'istio-system',
          version: '1.23.4',
          revision: '1-23-4',
          replicas: 2,
          readyReplicas: 2,
          healthy: true,
        },
      ],
      namespaces: [],
    });

    await patchTestNamespace(sim, 'bookinfo', {
      labels: { 'istio.io/rev': '1-23-4' },
    });
    await deleteTestPods(sim, 'bookinfo', 'backstage.io/kubernetes-id');

    const onboarded = await eventually(async () => {
      const s = await adapter.detect(cluster);
      const bookinfo = s.namespaces.find(n => n.name === 'bookinfo');
      return bookinfo &&
        bookinfo.pods > 0 &&
        bookinfo.meshedPods === bookinfo.pods
        ? bookinfo
        : undefined;
    });
    expect(onboarded).toMatchObject({
      name: 'bookinfo',
      injectionEnabled: true,
      revision: '1-23-4',
    });
  });
});
