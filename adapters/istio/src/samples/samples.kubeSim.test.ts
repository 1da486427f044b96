import { startKubeSim } from '@meshstage/kube-sim';
import type { LifecycleRequest } from '@meshstage/plugin-mesh-common';
import {
  HttpClusterView,
  kubeResources,
  podProxyTags,
  runTestPlan,
} from '@meshstage/plugin-mesh-node';
import { IstioAdapter } from '../IstioAdapter';

// A simulated cluster and real rollouts: jest's 5 s default is too tight on a busy machine.
jest.setTimeout(120_000);

// The sample-app plans executed against kube-sim: the objects are accepted by an API server,
// the namespace is injected so every pod gets Istio's proxy, and removal leaves nothing behind.
describe('Istio sample apps on kube-sim', () => {
  let sim: Awaited<ReturnType<typeof startKubeSim>>;
  let cluster: HttpClusterView;
  const adapter = new IstioAdapter();

  beforeAll(async () => {
    sim = await startKubeSim();
    cluster = new HttpClusterView({
      url: sim.url,
      token: sim.token,
      name: 'sim',
    });
  });
  afterAll(() => sim?.close());

  // Requests without mesh and cluster, which every test here shares.
  const plan = async (request: {
    action: LifecycleRequest['action'];
    [field: string]: unknown;
  }) =>
    adapter.plan(
      { mesh: 'istio', cluster: 'sim', ...request } as LifecycleRequest,
      {
        cluster,
        detection: await adapter.detect(cluster),
      },
    );

  it('refuses to deploy a sample before Istio is installed, and names unknown samples', async () => {
    await expect(
      plan({ action: 'deploy-sample', sample: 'bookinfo' }),
    ).rejects.toThrow(
      'Istio is not installed on sim; install it before deploying the bookinfo sample',
    );
    await expect(
      plan({ action: 'deploy-sample', sample: 'nope' }),
    ).rejects.toThrow(
      "Istio has no sample app 'nope'; available: bookinfo, echo",
    );
  });

  it('deploys bookinfo with sidecars in every pod, refuses a foreign namespace, then removes it', async () => {
    await runTestPlan(
      sim,
      await plan({ action: 'install', version: '1.24.2' }),
    );
    await runTestPlan(
      sim,
      await plan({ action: 'deploy-sample', sample: 'bookinfo' }),
    );

    // every pod runs Istio 1.24.2's proxy: six Deployments of one replica each
    expect(
      await podProxyTags(
        cluster,
        'bookinfo-sample',
        adapter.injection.proxyContainerNames,
      ),
    ).toEqual(['1.24.2']);
    expect(
      await cluster.list(kubeResources.pods, { namespace: 'bookinfo-sample' }),
    ).toHaveLength(6);
    const routes = await cluster.list(
      {
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'virtualservices',
      },
      { namespace: 'bookinfo-sample' },
    );
    expect(routes.map(r => r.metadata.name)).toEqual(['reviews']);

    // a namespace the user made is never taken over
    await runTestPlan(sim, {
      request: {
        action: 'onboard',
        mesh: 'istio',
        cluster: 'sim',
        namespace: 'x',
      },
      summary: 'create a namespace',
      steps: [
        {
          type: 'apply',
          description: 'user namespace',
          object: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: 'team-a' },
          },
        },
      ],
    });
    await expect(
      plan({ action: 'deploy-sample', sample: 'echo', namespace: 'team-a' }),
    ).rejects.toThrow(
      'Namespace team-a already exists on sim and was not created for the echo sample; choose another namespace',
    );
    await expect(
      plan({ action: 'remove-sample', sample: 'echo', namespace: 'team-a' }),
    ).rejects.toThrow(
      'Namespace team-a on sim holds no echo sample deployed by MeshStage',
    );

    await runTestPlan(
      sim,
      await plan({ action: 'remove-sample', sample: 'bookinfo' }),
    );
    const namespaces = await cluster.list(kubeResources.namespaces);
    expect(namespaces.map(n => n.metadata.name)).not.toContain(
      'bookinfo-sample',
    );
    expect(namespaces.map(n => n.metadata.name)).toContain('team-a');
    expect(
      await cluster.list(kubeResources.pods, { namespace: 'bookinfo-sample' }),
    ).toEqual([]);
  });
});
