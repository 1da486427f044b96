import { startKubeSim } from '@meshstage/kube-sim';
import type { LifecycleRequest } from '@meshstage/plugin-mesh-common';
import {
  HttpClusterView,
  kubeResources,
  podProxyTags,
  MemoryPlanSecrets,
  runTestPlan,
} from '@meshstage/plugin-mesh-node';
import { LinkerdAdapter } from '../LinkerdAdapter';

// A simulated cluster and real rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

describe('Linkerd sample apps on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let cluster: HttpClusterView;
  const adapter = new LinkerdAdapter();

  beforeAll(async () => {
    sim = await startKubeSim();
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

  // Requests without mesh and cluster, which every test here shares.
  const plan = async (request: {
    action: LifecycleRequest['action'];
    [field: string]: unknown;
  }) =>
    adapter.plan(
      { mesh: 'linkerd', cluster: 'sim', ...request } as LifecycleRequest,
      {
        cluster,
        detection: await adapter.detect(cluster),
        secrets,
      },
    );

  it('deploys emojivoto into an injected namespace (a proxy in each of its four pods) and removes it', async () => {
    await runPlan(
      sim,
      await plan({ action: 'install', version: 'stable-2.14.10' }),
    );
    await runPlan(
      sim,
      await plan({ action: 'deploy-sample', sample: 'emojivoto' }),
    );

    const namespace = (await cluster.list(kubeResources.namespaces)).find(
      n => n.metadata.name === 'emojivoto',
    );
    expect(namespace?.metadata.annotations?.['linkerd.io/inject']).toBe(
      'enabled',
    );
    expect(
      await podProxyTags(
        cluster,
        'emojivoto',
        adapter.injection.proxyContainerNames,
      ),
    ).toEqual(['stable-2.14.10']);
    expect(
      await cluster.list(kubeResources.pods, { namespace: 'emojivoto' }),
    ).toHaveLength(4);
    const services = await cluster.list(kubeResources.services, {
      namespace: 'emojivoto',
    });
    expect(services.map(s => s.metadata.name).sort()).toEqual([
      'emoji-svc',
      'voting-svc',
      'web-svc',
    ]);

    await runPlan(
      sim,
      await plan({ action: 'remove-sample', sample: 'emojivoto' }),
    );
    expect(
      (await cluster.list(kubeResources.namespaces)).map(n => n.metadata.name),
    ).not.toContain('emojivoto');
  });
});
