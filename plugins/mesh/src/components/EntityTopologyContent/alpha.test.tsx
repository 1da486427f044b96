import type { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { entityTopologyContent } from '../../alpha';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'reviews', ...(annotations && { annotations }) },
  spec: {},
});

describe('entityTopologyContent (new frontend system)', () => {
  it('is the Topology tab at /topology', () => {
    const tester = createExtensionTester(entityTopologyContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Topology');
    expect(tester.get(coreExtensionData.routePath)).toBe('/topology');
  });

  it("shows on entities with the Kubernetes plugin's annotations only", () => {
    const filter = createExtensionTester(entityTopologyContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
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
});
