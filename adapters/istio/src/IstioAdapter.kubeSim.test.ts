import path from 'node:path';
import { startKubeSim } from '@meshstage/kube-sim';
import {
  HttpClusterView,
  type KubePod,
  kubeResources,
  podProxyTags,
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
      versions: ['1.30.3'],
      revisions: ['1-30-3'],
      components: [
        {
          name: 'istiod-1-30-3',
          namespace: 'istio-system',
          version: '1.30.3',
          revision: '1-30-3',
          replicas: 2,
          readyReplicas: 2,
          healthy: true,
        },
      ],
      namespaces: [],
      revisionTags: [{ tag: 'default', revision: '1-30-3' }],
    });

    await patchTestNamespace(sim, 'bookinfo', {
      labels: { 'istio.io/rev': '1-30-3' },
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
      revision: '1-30-3',
    });
    expect(
      await eventually(async () => {
        const tags = await podProxyTags(cluster, 'bookinfo', ['istio-proxy']);
        return tags && new Set(tags).size === 1 ? tags[0] : undefined;
      }),
    ).toBe('1.30.3');
  });

  it('injects through the default revision tag: istio-injection=enabled follows the tag to 1-30-3', async () => {
    // No Deployment is named after the tag: only the registered webhooks (the tag's
    // `namespace.sidecar-injector.istio.io`) can send these pods to istiod-1-30-3.
    await patchTestNamespace(sim, 'bookinfo', {
      labels: { 'istio.io/rev': null, 'istio-injection': 'enabled' },
    });
    await deleteTestPods(sim, 'bookinfo', 'backstage.io/kubernetes-id');
    const images = await eventually(async () => {
      const pods = (
        await cluster.list<KubePod>(kubeResources.pods, {
          namespace: 'bookinfo',
        })
      ).filter(p => !p.metadata.deletionTimestamp);
      const proxies = pods.map(
        p =>
          [
            ...(p.spec?.initContainers ?? []),
            ...(p.spec?.containers ?? []),
          ].find(c => c.name === 'istio-proxy')?.image,
      );
      return pods.length > 0 && proxies.every(Boolean)
        ? [...new Set(proxies)]
        : undefined;
    });
    expect(images).toEqual(['registry.istio.io/release/proxyv2:1.30.3']);
    const bookinfo = (await adapter.detect(cluster)).namespaces.find(
      n => n.name === 'bookinfo',
    );
    expect(bookinfo).toMatchObject({
      injectionEnabled: true,
      revision: 'default',
    });
  });
});
