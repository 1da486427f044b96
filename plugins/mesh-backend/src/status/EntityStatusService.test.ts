import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { ClusterClients } from '../cluster';
import { EntityStatusService } from './EntityStatusService';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'productpage',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'productpage',
      'meshstage.io/mesh': 'istio',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

// No cluster configured: the status is the entity's own reading, with the onboarding beside it.
const clusters = ClusterClients.fromConfig(new ConfigReader({}), {
  logger: mockServices.logger.mock(),
});

describe('EntityStatusService', () => {
  it('keeps the status when the onboarding state cannot be worked out, saying why', async () => {
    const service = new EntityStatusService(clusters, {
      onboarding: async () => {
        throw new Error('catalog did not answer');
      },
    });
    const status = await service.getEntityStatus(entity, []);
    expect(status).toMatchObject({
      entityRef: 'component:default/productpage',
      desiredMesh: 'istio',
      clusters: [],
      onboardingError: 'catalog did not answer',
    });
    expect(status.onboarding).toBeUndefined();
  });

  it('carries the onboarding state when there is one', async () => {
    const service = new EntityStatusService(clusters, {
      onboarding: async () => ({
        entityRef: 'component:default/productpage',
        desiredMesh: 'istio',
        state: 'workloads-not-found',
        reason: 'no pods',
        targets: [],
        fixes: [],
      }),
    });
    const status = await service.getEntityStatus(entity, []);
    expect(status.onboarding?.state).toBe('workloads-not-found');
    expect(status.onboardingError).toBeUndefined();
  });
});
