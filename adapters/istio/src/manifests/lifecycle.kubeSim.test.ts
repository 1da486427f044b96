import path from 'node:path';
import { startKubeSim } from '@meshstage/kube-sim';
import type { LifecycleRequest } from '@meshstage/plugin-mesh-common';
import {
  HttpClusterView,
  eventually,
  podProxyTags,
  runTestPlan,
} from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from '../IstioAdapter';

// A simulated cluster and real rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

// Install and onboard plans executed against the simulated cluster seeded with the examples:
// the plan's objects must be accepted by an API server, detected as Istio, and make the
// simulator's injector give bookinfo's pods sidecars.
describe('Istio plans on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let cluster: HttpClusterView;
  const adapter = new IstioAdapter();

  beforeAll(async () => {
    sim = await startKubeSim({
      seed: [path.resolve(__dirname, '../../../../examples/cluster')],
    });
    cluster = new HttpClusterView({
      url: sim.url,
      token: sim.token,
      name: 'sim',
    });
  });

  afterAll(() => sim?.close());

  const planFor = async (
    request: LifecycleRequest,
    previousDetection?: Awaited<ReturnType<IstioAdapter['detect']>>,
  ) =>
    adapter.plan(request, {
      cluster,
      detection: await adapter.detect(cluster),
      previousDetection,
    });

  // The istio-proxy image tags of bookinfo's running pods, once every pod has one.
  const proxyTags = () =>
    podProxyTags(cluster, 'bookinfo', adapter.injection.proxyContainerNames);

  it('installs Istio 1.23.4, then onboarding bookinfo gives every pod an istio-proxy', async () => {
    await runTestPlan(
      sim,
      await planFor({
        action: 'install',
        mesh: 'istio',
        cluster: 'sim',
        version: '1.23.4',
        profile: 'minimal',
      }),
    );

    const installed = await adapter.detect(cluster);
    expect(installed).toMatchObject({
      installed: true,
      versions: ['1.23.4'],
      components: [
        {
          name: 'istiod',
          namespace: 'istio-system',
          version: '1.23.4',
          healthy: true,
        },
      ],
    });

    await runTestPlan(
      sim,
      await planFor({
        action: 'onboard',
        mesh: 'istio',
        cluster: 'sim',
        namespace: 'bookinfo',
      }),
    );

    const bookinfo = await eventually(async () => {
      const ns = (await adapter.detect(cluster)).namespaces.find(
        n => n.name === 'bookinfo',
      );
      return ns && ns.pods > 0 && ns.meshedPods === ns.pods ? ns : undefined;
    });
    expect(bookinfo).toMatchObject({
      injectionEnabled: true,
      revision: 'default',
    });
  });

  it('canary-upgrades to 1.24.2 (pods move to the new proxy, old istiod removed) and rolls back', async () => {
    const before = await adapter.detect(cluster);
    await runTestPlan(
      sim,
      await planFor({
        action: 'upgrade',
        mesh: 'istio',
        cluster: 'sim',
        toVersion: '1.24.2',
        strategy: 'canary',
      }),
    );

    const upgraded = await adapter.detect(cluster);
    expect(upgraded).toMatchObject({
      versions: ['1.24.2'],
      revisions: ['1-24-2'],
    });
    expect(upgraded.components.map(c => c.name)).toEqual(['istiod-1-24-2']);
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === '1.24.2' ? true : undefined,
      ),
    ).toBe(true);

    await runTestPlan(
      sim,
      await planFor(
        { action: 'rollback', mesh: 'istio', cluster: 'sim' },
        before,
      ),
    );
    const rolledBack = await adapter.detect(cluster);
    expect(rolledBack).toMatchObject({
      versions: ['1.23.4'],
      revisions: ['default'],
    });
    expect(
      rolledBack.namespaces.find(n => n.name === 'bookinfo'),
    ).toMatchObject({ injectionEnabled: true, revision: 'default' });
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === '1.23.4' ? true : undefined,
      ),
    ).toBe(true);
  });

  it('uninstalls, leaving no control plane', async () => {
    await runTestPlan(
      sim,
      await planFor({ action: 'uninstall', mesh: 'istio', cluster: 'sim' }),
    );
    expect(await adapter.detect(cluster)).toMatchObject({
      installed: false,
      components: [],
    });
  });
});
