import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { MeshApi, meshApiRef } from '../../api';
import { EntityMeshContent } from './EntityMeshContent';

const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    annotations: {
      'backstage.io/kubernetes-id': 'reviews',
      'meshstage.io/mesh': 'istio',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

function api(overrides: Partial<MeshApi>): MeshApi {
  // Only what the tab calls; the rest of MeshApi is not used here.
  return {
    getAdapters: async () => [],
    getClusters: async () => [],
    getStatus: async () => [],
    getEntityStatus: async () => {
      throw new Error('unexpected');
    },
    ...overrides,
  } as MeshApi;
}

async function render(entity: Entity, meshApi: MeshApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, meshApi],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityMeshContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityMeshContent', () => {
  it('lists pods with their proxy and the control plane state', async () => {
    await render(
      reviews,
      api({
        getStatus: async () => [
          {
            cluster: 'dev',
            mesh: 'istio',
            installed: true,
            versions: ['1.24.2'],
            revisions: ['default'],
            components: [
              {
                name: 'istiod',
                namespace: 'istio-system',
                replicas: 1,
                readyReplicas: 1,
                healthy: true,
                version: '1.24.2',
              },
            ],
            namespaces: [],
            mtls: {
              mode: 'STRICT',
              source: 'PeerAuthentication istio-system/default',
            },
            conflicts: [
              {
                type: 'namespace-multiple-injectors',
                namespace: 'bookinfo',
                meshes: ['istio', 'linkerd'],
                message:
                  'Namespace bookinfo is enabled for injection by istio and linkerd',
              },
            ],
          },
        ],
        getEntityStatus: async () => ({
          entityRef: 'component:default/reviews',
          desiredMesh: 'istio',
          labelSelector: 'backstage.io/kubernetes-id=reviews',
          clusters: [
            {
              cluster: 'dev',
              meshedPods: 1,
              pods: [
                {
                  name: 'reviews-v1-abc',
                  namespace: 'bookinfo',
                  phase: 'Running',
                  ready: true,
                  mesh: 'istio',
                  proxyVersion: '1.24.2',
                  containers: [
                    { name: 'reviews', image: 'reviews:1', proxy: false },
                    {
                      name: 'istio-proxy',
                      image: 'docker.io/istio/proxyv2:1.24.2',
                      proxy: true,
                    },
                  ],
                },
                {
                  name: 'reviews-v2-def',
                  namespace: 'bookinfo',
                  phase: 'Running',
                  ready: true,
                  containers: [
                    { name: 'reviews', image: 'reviews:2', proxy: false },
                  ],
                },
              ],
            },
          ],
        }),
      }),
    );
    expect(await screen.findByText('reviews-v1-abc')).toBeInTheDocument();
    expect(screen.getByText('istio 1.24.2')).toBeInTheDocument();
    expect(screen.getByText('no proxy')).toBeInTheDocument();
    expect(
      screen.getByText('1 of 2 pods run a mesh proxy (istio).'),
    ).toBeInTheDocument();
    expect(screen.getByText('1 component healthy')).toBeInTheDocument();
    expect(screen.getByText('reviews, istio-proxy')).toBeInTheDocument();
    expect(screen.getByText('STRICT')).toHaveAttribute(
      'title',
      'PeerAuthentication istio-system/default',
    );
    expect(
      screen.getByText(
        'Namespace bookinfo is enabled for injection by istio and linkerd',
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await render(
      reviews,
      api({
        getEntityStatus: async () => {
          throw new Error('cluster dev is unreachable');
        },
      }),
    );
    expect(
      (await screen.findAllByText(/cluster dev is unreachable/)).length,
    ).toBeGreaterThan(0);
  });

  it('tells the user which annotation to add', async () => {
    const bare = { ...reviews, metadata: { name: 'reviews' } };
    await render(bare, api({}));
    expect(
      screen.getAllByText(/backstage.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
  });
});
