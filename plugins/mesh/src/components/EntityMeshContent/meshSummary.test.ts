import type {
  EntityMeshStatus,
  MeshPodStatus,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import { summarizeEntityMesh } from './meshSummary';

const pod = (name: string, mesh?: string): MeshPodStatus => ({
  name,
  namespace: 'bookinfo',
  phase: 'Running',
  ready: true,
  mesh,
  containers: [],
});
const entity = (
  pods: MeshPodStatus[],
  desiredMesh = 'istio',
): EntityMeshStatus => ({
  entityRef: 'component:default/reviews',
  desiredMesh,
  labelSelector: 'backstage.io/kubernetes-id=reviews',
  clusters: [
    { cluster: 'dev', pods, meshedPods: pods.filter(p => p.mesh).length },
  ],
});
const istio = (installed: boolean): MeshStatus => ({
  mesh: 'istio',
  cluster: 'dev',
  installed,
  versions: installed ? ['1.24.2'] : [],
  revisions: [],
  components: [],
  namespaces: [],
});

describe('summarizeEntityMesh', () => {
  it('says the expected mesh is missing where pods run without it', () => {
    const s = summarizeEntityMesh(entity([pod('a'), pod('b')]), [istio(false)]);
    expect(s.coverage).toBe('mesh-missing');
    expect(s.message).toBe(
      'istio is not installed on dev: 0 of 2 pods have a proxy.',
    );
  });

  it('reports partial coverage with the meshes seen', () => {
    const s = summarizeEntityMesh(entity([pod('a', 'istio'), pod('b')]), [
      istio(true),
    ]);
    expect(s).toMatchObject({
      coverage: 'partial',
      pods: 2,
      meshedPods: 1,
      meshesSeen: ['istio'],
    });
    expect(s.message).toBe('1 of 2 pods run a mesh proxy (istio).');
  });

  it('reports full coverage', () => {
    const s = summarizeEntityMesh(entity([pod('a', 'istio')]), [istio(true)]);
    expect(s.coverage).toBe('meshed');
    expect(s.message).toBe('1 of 1 pod runs a mesh proxy (istio).');
  });

  it('reports unmeshed pods when the mesh is installed but not injected', () => {
    expect(
      summarizeEntityMesh(entity([pod('a')]), [istio(true)]).coverage,
    ).toBe('unmeshed');
  });

  it('flags proxies of another mesh than the expected one, even when every pod has one', () => {
    const s = summarizeEntityMesh(
      entity([pod('a', 'linkerd'), pod('b', 'linkerd'), pod('c', 'istio')]),
      [istio(true)],
    );
    expect(s.coverage).toBe('wrong-mesh');
    expect(s.message).toBe(
      '2 of 3 pods run linkerd proxies, but the expected mesh is istio.',
    );
    // without an expected mesh any proxy counts
    expect(
      summarizeEntityMesh(entity([pod('a', 'linkerd')], ''), [istio(true)])
        .coverage,
    ).toBe('meshed');
  });

  it('reports no workloads with the selector used', () => {
    const s = summarizeEntityMesh(entity([]), [istio(true)]);
    expect(s.coverage).toBe('no-workloads');
    expect(s.message).toContain('backstage.io/kubernetes-id=reviews');
  });
});
