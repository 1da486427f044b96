import type { Entity } from '@backstage/catalog-model';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { entityMeshStatusCard } from '../../alpha';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'reviews', ...(annotations && { annotations }) },
  spec: {},
});

describe('entityMeshStatusCard (new frontend system)', () => {
  it("shows on entities with the Kubernetes plugin's annotations only", () => {
    const filter = createExtensionTester(entityMeshStatusCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(entity({ 'backstage.io/kubernetes-id': 'reviews' }))).toBe(
      true,
    );
    expect(
      filter(
        entity({ 'backstage.io/kubernetes-label-selector': 'app=reviews' }),
      ),
    ).toBe(true);
    expect(filter(entity({ 'meshstage.io/mesh': 'istio' }))).toBe(false);
    expect(filter(entity())).toBe(false);
  });

  it('is attached to the Overview tab by default (the blueprint default)', () => {
    // ExtensionDefinition keeps attachTo internally; it is what the app wires the card with.
    expect((entityMeshStatusCard as any).attachTo).toEqual({
      id: 'entity-content:catalog/overview',
      input: 'cards',
    });
  });
});
