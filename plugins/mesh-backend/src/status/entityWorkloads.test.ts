import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { entityWorkloads } from './entityWorkloads';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'reviews', namespace: 'default', annotations },
    spec: {},
  };
}

describe('entityWorkloads', () => {
  it('reads selector, namespace, cluster and desired mesh from annotations', () => {
    expect(
      entityWorkloads(
        component({
          'backstage.io/kubernetes-id': 'reviews',
          'backstage.io/kubernetes-namespace': 'bookinfo',
          'meshstage.io/cluster': 'dev',
          'meshstage.io/mesh': 'istio',
        }),
      ),
    ).toEqual({
      entityRef: 'component:default/reviews',
      labelSelector: 'backstage.io/kubernetes-id=reviews',
      namespace: 'bookinfo',
      cluster: 'dev',
      desiredMesh: 'istio',
    });
  });

  it('uses an explicit label selector and leaves optional parts out', () => {
    expect(
      entityWorkloads(
        component({ 'backstage.io/kubernetes-label-selector': 'app=reviews' }),
      ),
    ).toEqual({
      entityRef: 'component:default/reviews',
      labelSelector: 'app=reviews',
    });
  });

  it('tells which annotation to add when the entity has none', () => {
    expect(() =>
      entityWorkloads(component({ 'meshstage.io/mesh': 'istio' })),
    ).toThrow(InputError);
    expect(() => entityWorkloads(component({}))).toThrow(
      "add the annotation 'backstage.io/kubernetes-id'",
    );
  });
});
