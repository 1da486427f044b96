import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityFindings,
  EntityMeshStatus,
  MeshPodStatus,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../../api';
import { EntityMeshStatusCard } from './EntityMeshStatusCard';

const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'reviews',
      'meshstage.io/mesh': 'istio',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

const pod = (name: string, mesh?: string): MeshPodStatus => ({
  name,
  namespace: 'bookinfo',
  phase: 'Running',
  ready: true,
  mesh,
  containers: [],
});

const status: EntityMeshStatus = {
  entityRef: 'component:default/reviews',
  desiredMesh: 'istio',
  labelSelector: 'backstage.io/kubernetes-id=reviews',
  clusters: [
    {
      cluster: 'dev',
      meshedPods: 3,
      pods: [pod('a', 'istio'), pod('b', 'istio'), pod('c', 'istio'), pod('d')],
    },
  ],
};

const controlPlanes: MeshStatus[] = [
  {
    cluster: 'dev',
    mesh: 'istio',
    installed: true,
    versions: ['1.24.2'],
    revisions: ['default'],
    components: [],
    namespaces: [],
    mtls: { mode: 'STRICT', source: 'PeerAuthentication istio-system/default' },
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
];

const findings: EntityFindings = {
  entityRef: 'component:default/reviews',
  clusters: [
    {
      cluster: 'dev',
      scan: {
        id: '9b1f4c2d-6e3a-4d8b-a07c-5f2e1d9c8b46',
        cluster: 'dev',
        trigger: 'schedule',
        status: 'succeeded',
        startedAt: '2026-12-01T10:00:00.000Z',
        finishedAt: '2026-12-01T10:00:02.000Z',
        previousScanId: 'e2a7d5c1-48b9-4f3e-b6d0-7c1a9e3f2b58',
        meshes: ['istio'],
        summary: { error: 2, warning: 1, info: 0, suppressed: 0 },
        new: 0,
        fixed: 0,
      },
      findings: (['error', 'error', 'warning'] as const).map((severity, i) => ({
        code: `MS020${i}`,
        severity,
        message: 'm',
        fingerprint: String(i),
        new: false,
      })),
      fixed: [],
    },
  ],
};

function api(overrides: Partial<MeshApi>): MeshApi {
  return {
    getStatus: async () => controlPlanes,
    getEntityStatus: async () => status,
    getEntityFindings: async () => findings,
    ...overrides,
  } as MeshApi;
}

async function render(meshApi: MeshApi, entity: Entity = reviews) {
  return renderInTestApp(
    <TestApiProvider apis={[[meshApiRef, meshApi]]}>
      <EntityProvider entity={entity}>
        <EntityMeshStatusCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityMeshStatusCard', () => {
  it('shows the expected mesh, coverage, control plane, mTLS, conflicts and error findings with links', async () => {
    await render(api({}));
    const card = await screen.findByTestId('mesh-status-card');
    expect(
      await within(card).findByText('3 of 4 pods meshed'),
    ).toBeInTheDocument();
    expect(card).toHaveTextContent('Expected meshistio');
    expect(card).toHaveTextContent('Control plane1.24.2');
    expect(card).toHaveTextContent('mTLSSTRICT');

    const link = (name: string | RegExp) =>
      within(card).getByRole('link', { name }).getAttribute('href');
    expect(link('3 of 4 pods meshed')).toBe(
      '/catalog/default/component/reviews/mesh',
    );
    expect(link('1 open conflict')).toBe(
      '/catalog/default/component/reviews/mesh',
    );
    expect(link('2 error findings')).toBe(
      '/catalog/default/component/reviews/validation',
    );
  });

  it('says when the entity was never scanned, and keeps the rest when findings fail', async () => {
    await render(
      api({
        getEntityFindings: async () => ({
          entityRef: 'component:default/reviews',
          clusters: [{ cluster: 'dev', scan: null, findings: [] }],
        }),
      }),
    );
    const card = await screen.findByTestId('mesh-status-card');
    expect(
      await within(card).findByText('not scanned yet'),
    ).toBeInTheDocument();
  });

  it('shows a findings error inline, with the rest of the card', async () => {
    await render(
      api({
        getEntityFindings: async () => {
          throw new Error('mesh.validation.read is denied');
        },
      }),
    );
    const card = await screen.findByTestId('mesh-status-card');
    expect(
      await within(card).findByText(
        'Findings unavailable: mesh.validation.read is denied',
      ),
    ).toBeInTheDocument();
    expect(card).toHaveTextContent('3 of 4 pods meshed');
  });

  it("shows the backend's message when the status cannot be read", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No entity component:default/reviews in the catalog',
          },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ),
    );
    await render(
      api({
        getEntityStatus: async () => {
          throw error;
        },
      }),
    );
    const card = await screen.findByTestId('mesh-status-card');
    const messages = await within(card).findAllByText(
      /No entity component:default\/reviews in the catalog/,
    );
    expect(messages.length).toBeGreaterThan(0);
  });

  it('shows progress while loading', async () => {
    await render(
      api({ getEntityStatus: () => new Promise<EntityMeshStatus>(() => {}) }),
    );
    const card = await screen.findByTestId('mesh-status-card');
    expect(within(card).getByTestId('progress')).toBeInTheDocument();
  });
});
