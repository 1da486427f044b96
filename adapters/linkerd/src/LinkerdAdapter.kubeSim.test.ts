import path from 'node:path';
import { startKubeSim } from '@meshstage/kube-sim';
import {
  HttpClusterView,
  podProxyTags,
  deleteTestPods,
  eventually,
  patchTestNamespace,
} from '@meshstage/plugin-mesh-node';
import { LinkerdAdapter } from './LinkerdAdapter';

// A simulated cluster and real rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

// The adapter against the simulated cluster: real list responses, real controllers and the
// simulator's proxy injection, instead of hand-built objects.
describe('LinkerdAdapter on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let cluster: HttpClusterView;
  const adapter = new LinkerdAdapter();

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

  it('finds the control plane and, once bookinfo is annotated, its proxies', async () => {
    const installed = await eventually(async () => {
      const s = await adapter.detect(cluster);
      return s.components.length === 3 && s.components.every(c => c.healthy)
        ? s
        : undefined;
    });
    expect(installed).toMatchObject({
      installed: true,
      versions: ['edge-26.8.3'],
      revisions: [],
    });
    expect(installed.components.map(c => `${c.namespace}/${c.name}`)).toEqual([
      'linkerd/linkerd-destination',
      'linkerd/linkerd-identity',
      'linkerd/linkerd-proxy-injector',
    ]);

    await patchTestNamespace(sim, 'bookinfo', {
      annotations: { 'linkerd.io/inject': 'enabled' },
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
    });
    // The proxy image comes from linkerd-config, read by the injector the webhook calls.
    expect(
      await eventually(async () => {
        const tags = await podProxyTags(cluster, 'bookinfo', ['linkerd-proxy']);
        return tags && new Set(tags).size === 1 ? tags[0] : undefined;
      }),
    ).toBe('edge-26.8.3');
  });
});
