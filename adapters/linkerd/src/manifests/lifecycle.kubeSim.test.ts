import path from 'node:path';
import { startKubeSim } from '@meshstage/kube-sim';
import type { LifecycleRequest } from '@meshstage/plugin-mesh-common';
import {
  HttpClusterView,
  eventually,
  podProxyTags,
  MemoryPlanSecrets,
  runTestPlan,
} from '@meshstage/plugin-mesh-node';
import { LinkerdAdapter } from '../LinkerdAdapter';

// A simulated cluster and real rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

// Install and onboard plans executed against the simulated cluster seeded with the examples.
describe('Linkerd plans on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let cluster: HttpClusterView;
  const adapter = new LinkerdAdapter();

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

  // Identity keys stay out of plans: they are kept here and filled in when a Secret is applied.
  const secrets = new MemoryPlanSecrets();
  const runPlan = (target: typeof sim, p: Parameters<typeof runTestPlan>[1]) =>
    runTestPlan(target, p, { secrets });

  const planFor = async (
    request: LifecycleRequest,
    previousDetection?: Awaited<ReturnType<LinkerdAdapter['detect']>>,
  ) =>
    adapter.plan(request, {
      cluster,
      detection: await adapter.detect(cluster),
      secrets,
      previousDetection,
    });

  // The linkerd-proxy image tags of bookinfo's running pods, once every pod has one.
  const proxyTags = () =>
    podProxyTags(cluster, 'bookinfo', adapter.injection.proxyContainerNames);

  it('installs Linkerd stable-2.14.10, then onboarding bookinfo gives every pod a linkerd-proxy', async () => {
    await runPlan(
      sim,
      await planFor({
        action: 'install',
        mesh: 'linkerd',
        cluster: 'sim',
        version: 'stable-2.14.10',
      }),
    );

    const installed = await adapter.detect(cluster);
    expect(installed.installed).toBe(true);
    expect(installed.versions).toEqual(['stable-2.14.10']);
    expect(installed.components.map(c => [c.name, c.healthy])).toEqual([
      ['linkerd-destination', true],
      ['linkerd-identity', true],
      ['linkerd-proxy-injector', true],
    ]);

    await runPlan(
      sim,
      await planFor({
        action: 'onboard',
        mesh: 'linkerd',
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
    expect(bookinfo.injectionEnabled).toBe(true);
  });

  it('upgrades in place to edge-24.11.8 (proxies follow after the restart) and rolls back', async () => {
    const before = await adapter.detect(cluster);
    await runPlan(
      sim,
      await planFor({
        action: 'upgrade',
        mesh: 'linkerd',
        cluster: 'sim',
        toVersion: 'edge-24.11.8',
        strategy: 'in-place',
      }),
    );
    expect((await adapter.detect(cluster)).versions).toEqual(['edge-24.11.8']);
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === 'edge-24.11.8' ? true : undefined,
      ),
    ).toBe(true);

    await runPlan(
      sim,
      await planFor(
        { action: 'rollback', mesh: 'linkerd', cluster: 'sim' },
        before,
      ),
    );
    expect((await adapter.detect(cluster)).versions).toEqual([
      'stable-2.14.10',
    ]);
    expect(
      await eventually(async () =>
        (await proxyTags())?.join() === 'stable-2.14.10' ? true : undefined,
      ),
    ).toBe(true);
  });

  it('uninstalls, leaving no control plane', async () => {
    await runPlan(
      sim,
      await planFor({ action: 'uninstall', mesh: 'linkerd', cluster: 'sim' }),
    );
    expect(await adapter.detect(cluster)).toMatchObject({
      installed: false,
      components: [],
    });
  });
});
