import type { EntityMeshStatus } from '@meshstage/plugin-mesh-common';
import { resolveOnboardTarget } from './resolveOnboardTarget';

const pod = (namespace: string) => ({
  name: `p-${namespace}`,
  namespace,
  phase: 'Running',
  ready: true,
  containers: [],
});

const status = (
  clusters: EntityMeshStatus['clusters'],
  desiredMesh: string | null = 'istio',
): EntityMeshStatus => ({
  entityRef: 'component:default/shop',
  desiredMesh: desiredMesh ?? undefined,
  labelSelector: 'backstage.io/kubernetes-id=shop',
  clusters,
});

describe('resolveOnboardTarget', () => {
  it('takes everything from the input when given', () => {
    expect(
      resolveOnboardTarget({ namespace: 'a', mesh: 'linkerd', cluster: 'c1' }),
    ).toEqual({ namespace: 'a', mesh: 'linkerd', cluster: 'c1' });
  });

  it("finds the mesh, cluster and namespace from the entity's annotation and pods", () => {
    const entityStatus = status([
      { cluster: 'c1', pods: [], meshedPods: 0 },
      { cluster: 'c2', pods: [pod('shop'), pod('shop')], meshedPods: 0 },
    ]);
    expect(
      resolveOnboardTarget({
        entityRef: 'component:default/shop',
        entityStatus,
      }),
    ).toEqual({ namespace: 'shop', mesh: 'istio', cluster: 'c2' });
    // The input's namespace and mesh win over what the entity says.
    expect(
      resolveOnboardTarget({
        entityRef: 'component:default/shop',
        entityStatus,
        namespace: 'other',
        mesh: 'linkerd',
      }),
    ).toEqual({ namespace: 'other', mesh: 'linkerd', cluster: 'c2' });
  });

  it('uses the only configured cluster when nothing else says', () => {
    expect(
      resolveOnboardTarget({
        namespace: 'a',
        mesh: 'istio',
        clusters: ['dev'],
      }),
    ).toEqual({ namespace: 'a', mesh: 'istio', cluster: 'dev' });
  });

  it('names the input to give when it is ambiguous or missing', () => {
    expect(() => resolveOnboardTarget({ mesh: 'istio' })).toThrow(
      "Give 'entityRef' (the entity whose namespace to onboard) or 'namespace'",
    );
    expect(() =>
      resolveOnboardTarget({
        entityRef: 'component:default/shop',
        entityStatus: status(
          [{ cluster: 'dev', pods: [pod('a')], meshedPods: 0 }],
          null,
        ),
      }),
    ).toThrow(
      "Give 'mesh': component:default/shop has no meshstage.io/mesh annotation",
    );
    expect(() =>
      resolveOnboardTarget({
        namespace: 'a',
        mesh: 'istio',
        clusters: ['a', 'b'],
      }),
    ).toThrow("Give 'cluster', one of 'a', 'b'");
    expect(() =>
      resolveOnboardTarget({
        entityRef: 'component:default/shop',
        entityStatus: status([
          { cluster: 'a', pods: [pod('x')], meshedPods: 0 },
          { cluster: 'b', pods: [pod('x')], meshedPods: 0 },
        ]),
      }),
    ).toThrow(
      "Give 'cluster': component:default/shop runs on several clusters ('a', 'b')",
    );
    expect(() =>
      resolveOnboardTarget({
        entityRef: 'component:default/shop',
        cluster: 'dev',
        entityStatus: status([
          { cluster: 'dev', pods: [pod('x'), pod('y')], meshedPods: 0 },
        ]),
      }),
    ).toThrow(
      "The pods of component:default/shop run in several namespaces on cluster 'dev' ('x', 'y'); give 'namespace'",
    );
    expect(() =>
      resolveOnboardTarget({
        entityRef: 'component:default/shop',
        cluster: 'dev',
        entityStatus: status([
          {
            cluster: 'dev',
            pods: [],
            meshedPods: 0,
            error: 'connect ECONNREFUSED',
          },
        ]),
      }),
    ).toThrow(
      "Cannot find the pods of component:default/shop on cluster 'dev' (connect ECONNREFUSED); give 'namespace'",
    );
  });
});
