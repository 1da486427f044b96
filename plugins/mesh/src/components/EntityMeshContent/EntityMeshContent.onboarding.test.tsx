import { screen, within } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityMeshStatus,
  EntityOnboarding,
} from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../../api';
import { EntityMeshContent } from './EntityMeshContent';

const productpage: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'productpage',
    annotations: {
      'backstage.io/kubernetes-id': 'productpage',
      'meshstage.io/mesh': 'istio',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

const onboardFix = {
  action: 'onboard' as const,
  request: {
    action: 'onboard' as const,
    mesh: 'istio',
    cluster: 'dev',
    namespace: 'bookinfo',
  },
};

async function renderWith(onboarding?: EntityOnboarding) {
  const status: EntityMeshStatus = {
    entityRef: 'component:default/productpage',
    desiredMesh: 'istio',
    labelSelector: 'backstage.io/kubernetes-id=productpage',
    clusters: [{ cluster: 'dev', pods: [], meshedPods: 0 }],
    ...(onboarding && { onboarding }),
  };
  const meshApi = {
    getStatus: async () => [],
    getEntityStatus: async () => status,
  } as unknown as MeshApi;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, meshApi],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={productpage}>
        <EntityMeshContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityMeshContent onboarding line', () => {
  it('shows a pending onboarding with the operation that would fix it', async () => {
    await renderWith({
      entityRef: 'component:default/productpage',
      desiredMesh: 'istio',
      state: 'pending-onboarding',
      reason: 'namespace bookinfo is not enabled for istio injection',
      targets: [],
      fixes: [onboardFix],
    });
    const line = await screen.findByTestId('onboarding-state');
    expect(within(line).getByText('Pending onboarding')).toBeInTheDocument();
    expect(line).toHaveTextContent(
      'namespace bookinfo is not enabled for istio injection. Pending: onboard namespace bookinfo to istio on dev',
    );
  });

  it('shows the automatic operation under way instead of the pending one', async () => {
    await renderWith({
      entityRef: 'component:default/productpage',
      desiredMesh: 'istio',
      state: 'pending-onboarding',
      reason: 'namespace bookinfo is not enabled for istio injection',
      targets: [],
      fixes: [onboardFix],
      operation: {
        id: '00000000-0000-4000-8000-000000000001',
        action: 'onboard',
        cluster: 'dev',
        mesh: 'istio',
        namespace: 'bookinfo',
        state: 'running',
        summary: 'Onboard namespace bookinfo to Istio on dev',
        createdAt: '2026-01-01T00:00:00Z',
      },
    });
    expect(await screen.findByTestId('onboarding-state')).toHaveTextContent(
      'Automatic operation running: Onboard namespace bookinfo to Istio on dev',
    );
  });

  it('shows in sync without a pending action', async () => {
    await renderWith({
      entityRef: 'component:default/productpage',
      desiredMesh: 'istio',
      state: 'in-sync',
      reason:
        'namespace bookinfo is enabled for istio injection and its pod runs the proxy',
      targets: [],
      fixes: [],
    });
    const line = await screen.findByTestId('onboarding-state');
    expect(within(line).getByText('In sync')).toBeInTheDocument();
    expect(line).not.toHaveTextContent('Pending');
  });

  it('shows no onboarding line when the status has none', async () => {
    await renderWith(undefined);
    expect(await screen.findByText(/Expected mesh/)).toBeInTheDocument();
    expect(screen.queryByTestId('onboarding-state')).toBeNull();
  });
});
