import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  entityLabelSelector,
  isMeshAvailable,
} from './annotations';

function component(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'reviews', annotations },
    spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
  };
}

describe('isMeshAvailable', () => {
  it('is true for an entity tied to workloads by id', () => {
    expect(
      isMeshAvailable(component({ [KUBERNETES_ID_ANNOTATION]: 'reviews' })),
    ).toBe(true);
  });

  it('is true for an entity tied to workloads by label selector', () => {
    expect(
      isMeshAvailable(
        component({ [KUBERNETES_LABEL_SELECTOR_ANNOTATION]: 'app=reviews' }),
      ),
    ).toBe(true);
  });

  it('is false without the Kubernetes annotations, even with a mesh annotation', () => {
    expect(isMeshAvailable(component())).toBe(false);
    expect(isMeshAvailable(component({ 'meshstage.io/mesh': 'istio' }))).toBe(
      false,
    );
  });

  it('treats empty annotation values as absent', () => {
    expect(isMeshAvailable(component({ [KUBERNETES_ID_ANNOTATION]: '' }))).toBe(
      false,
    );
  });
});

describe('entityLabelSelector', () => {
  it('selects by backstage.io/kubernetes-id, as the Kubernetes plugin does', () => {
    expect(
      entityLabelSelector(component({ [KUBERNETES_ID_ANNOTATION]: 'reviews' })),
    ).toBe('backstage.io/kubernetes-id=reviews');
  });

  it('lets an explicit label selector win over the id', () => {
    expect(
      entityLabelSelector(
        component({
          [KUBERNETES_ID_ANNOTATION]: 'reviews',
          [KUBERNETES_LABEL_SELECTOR_ANNOTATION]:
            'app=reviews,version in (v1,v2)',
        }),
      ),
    ).toBe('app=reviews,version in (v1,v2)');
  });

  it('is undefined for an entity without the annotations', () => {
    expect(entityLabelSelector(component())).toBeUndefined();
  });
});
