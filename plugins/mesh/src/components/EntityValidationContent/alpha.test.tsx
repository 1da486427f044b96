import type { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { entityValidationContent } from '../../alpha';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'reviews', ...(annotations && { annotations }) },
  spec: {},
});

describe('entityValidationContent (new frontend system)', () => {
  it('is the Validation tab at /validation', () => {
    const tester = createExtensionTester(entityValidationContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Validation',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/validation');
  });

  it("shows on entities with the Kubernetes plugin's annotations only", () => {
    const filter = createExtensionTester(entityValidationContent).get(
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
