import type {
  EntityMeshStatus,
  MeshPodStatus,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import { clusterMeshViews, podSidecar } from './meshCoverage';

const pod = (
  name: string,
  mesh?: string,
  proxyVersion?: string,
  namespace = 'bookinfo',
): MeshPodStatus => ({
  name,
  namespace,
  phase: 'Running',
  ready: true,
  ...(mesh ? { mesh } : {}),
  ...(proxyVersion ? { proxyVersion } : {}),
  containers: [],
});

const plane = (over: Partial<MeshStatus> = {}): MeshStatus => ({
  mesh: 'istio',
  cluster: 'dev',
  installed: true,
  versions: ['1.24.2'],
  revisions: ['default'],
  components: [],
  namespaces: [],
  ...over,
});

describe('podSidecar', () => {
  it('tells meshed, not meshed, outdated and wrong-mesh pods apart', () => {
    expect(podSidecar(pod('a', 'istio', '1.24.2'), 'istio', plane())).toEqual({
      state: 'meshed',
      label: 'meshed',
    });
    expect(podSidecar(pod('b'), 'istio', plane()).state).toBe('not-meshed');
    expect(podSidecar(pod('c', 'istio', '1.23.4'), 'istio', plane())).toEqual({
      state: 'outdated',
      label: 'outdated proxy',
      detail: 'proxy 1.23.4, control plane 1.24.2',
    });
    expect(
      podSidecar(pod('d', 'linkerd', 'stable-2.14.10'), 'istio', plane()),
    ).toEqual({
      state: 'wrong-mesh',
      label: 'wrong mesh',
      detail: 'runs linkerd, expected istio',
    });
  });

  it('counts a proxy as current during a canary (both versions run) and when nothing is known', () => {
    expect(
      podSidecar(
        pod('a', 'istio', '1.23.4'),
        'istio',
        plane({ versions: ['1.23.4', '1.24.2'] }),
      ).state,
    ).toBe('meshed');
    expect(
      podSidecar(pod('a', 'istio', '1.23.4'), 'istio', undefined).state,
    ).toBe('meshed');
    expect(podSidecar(pod('a', 'istio'), 'istio', plane()).state).toBe(
      'meshed',
    );
    // Without an expected mesh any proxy counts.
    expect(podSidecar(pod('a', 'linkerd'), undefined, undefined).state).toBe(
      'meshed',
    );
  });
});

describe('clusterMeshViews', () => {
  const status = (
    pods: MeshPodStatus[],
    desiredMesh?: string,
  ): EntityMeshStatus => ({
    entityRef: 'component:default/reviews',
    ...(desiredMesh ? { desiredMesh } : {}),
    labelSelector: 'backstage.io/kubernetes-id=reviews',
    clusters: [
      { cluster: 'dev', pods, meshedPods: pods.filter(p => p.mesh).length },
      { cluster: 'prod', pods: [], meshedPods: 0, error: 'unreachable' },
    ],
  });

  it('gives each cluster its namespaces with injection state, serving meshes and sidecar counts', () => {
    const views = clusterMeshViews(
      status(
        [
          pod('a', 'istio', '1.24.2'),
          pod('b', 'istio', '1.23.4'),
          pod('c'),
          pod('d', undefined, undefined, 'other'),
        ],
        'istio',
      ),
      [
        plane({
          namespaces: [
            {
              name: 'bookinfo',
              injectionEnabled: true,
              revision: 'default',
              pods: 3,
              meshedPods: 2,
              mtlsMode: 'PERMISSIVE',
            },
          ],
          mtls: {
            mode: 'STRICT',
            source: 'PeerAuthentication istio-system/default',
          },
        }),
        plane({
          cluster: 'prod',
          installed: false,
          versions: [],
          revisions: [],
        }),
      ],
    );
    expect(views[0]).toMatchObject({
      cluster: 'dev',
      expectedInstalled: true,
      pods: 4,
      sidecars: { meshed: 1, 'not-meshed': 2, outdated: 1, 'wrong-mesh': 0 },
      serving: [{ mesh: 'istio', versions: ['1.23.4', '1.24.2'], pods: 2 }],
      namespaces: [
        {
          name: 'bookinfo',
          injectionEnabled: true,
          revision: 'default',
          mtlsMode: 'PERMISSIVE',
          pods: 3,
          meshedPods: 2,
        },
        { name: 'other', injectionEnabled: false, pods: 1, meshedPods: 0 },
      ],
    });
    expect(views[1]).toMatchObject({
      cluster: 'prod',
      error: 'unreachable',
      expectedInstalled: false,
      namespaces: [],
      serving: [],
    });
  });

  it('uses the namespace annotation even where no pod runs yet', () => {
    const [dev, prod] = clusterMeshViews(
      status([], 'istio'),
      [plane()],
      'bookinfo',
    );
    expect(dev.namespaces).toEqual([
      { name: 'bookinfo', injectionEnabled: false, pods: 0, meshedPods: 0 },
    ]);
    // No status for the expected mesh on prod: not installed as far as the tab knows.
    expect(prod.expectedInstalled).toBe(false);
  });

  it('has no expected mesh when the entity names none', () => {
    const [dev] = clusterMeshViews(status([pod('a', 'linkerd')]), [plane()]);
    expect(dev.expected).toBeUndefined();
    expect(dev.sidecars.meshed).toBe(1);
  });
});
