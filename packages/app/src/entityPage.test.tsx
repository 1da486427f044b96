import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import meshPlugin from '@meshstage/plugin-mesh/alpha';
import { MeshApi, meshApiRef } from '@meshstage/plugin-mesh';

// The real example catalog that `yarn start` loads.
const examples = parseAllDocuments(
  fs.readFileSync(
    path.resolve(__dirname, '../../../examples/entities.yaml'),
    'utf8',
  ),
).map(d => d.toJS() as Entity);

// The mesh backend's answer for productpage, as it reports an unmeshed workload. Only the status
// routes are answered: the page renders the Mesh tab, which reads nothing else.
const meshApi = {
  getAdapters: async () => [],
  getClusters: async () => [],
  getStatus: async () => [
    {
      cluster: 'dev',
      mesh: 'istio',
      installed: false,
      versions: [],
      revisions: [],
      components: [],
      namespaces: [],
    },
  ],
  getEntityStatus: async () => ({
    entityRef: 'component:default/productpage',
    desiredMesh: 'istio',
    labelSelector: 'backstage.io/kubernetes-id=productpage',
    clusters: [
      {
        cluster: 'dev',
        meshedPods: 0,
        pods: [
          {
            name: 'productpage-v1-7d9f8c6b5-x2k4q',
            namespace: 'bookinfo',
            phase: 'Running',
            ready: true,
            containers: [
              {
                name: 'productpage',
                image:
                  'docker.io/istio/examples-bookinfo-productpage-v1:1.20.2',
                proxy: false,
              },
            ],
          },
        ],
      },
    ],
  }),
} as Partial<MeshApi> as MeshApi;

// Rendering a whole app in jsdom takes seconds, more on a busy machine.
jest.setTimeout(60_000);

describe('entity page', () => {
  it('shows the example productpage with its Kubernetes, Mesh, Topology, Performance and Validation tabs', async () => {
    renderTestApp({
      features: [catalogPlugin, kubernetesPlugin, meshPlugin],
      apis: [
        [catalogApiRef, catalogApiMock({ entities: examples })],
        [meshApiRef, meshApi],
      ],
      initialRouteEntries: ['/catalog/default/component/productpage/mesh'],
    });

    expect(
      await screen.findByText(
        'productpage-v1-7d9f8c6b5-x2k4q',
        {},
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/istio is not installed on dev/).length,
    ).toBeGreaterThan(0);
    for (const [tab, tabPath] of [
      ['Mesh', 'mesh'],
      ['Topology', 'topology'],
      ['Performance', 'performance'],
      ['Validation', 'validation'],
      ['Kubernetes', 'kubernetes'],
    ]) {
      expect(screen.getByRole('link', { name: tab })).toHaveAttribute(
        'href',
        `/catalog/default/component/productpage/${tabPath}`,
      );
    }
  });

  it('has no Mesh tab for an entity without Kubernetes annotations', async () => {
    renderTestApp({
      features: [catalogPlugin, kubernetesPlugin, meshPlugin],
      apis: [
        [catalogApiRef, catalogApiMock({ entities: examples })],
        [meshApiRef, meshApi],
      ],
      initialRouteEntries: ['/catalog/default/system/bookinfo'],
    });
    expect(
      await screen.findByText(/four services in the/, {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Overview' })).toBeInTheDocument();
    for (const tab of ['Mesh', 'Topology', 'Performance', 'Validation']) {
      expect(screen.queryByRole('link', { name: tab })).not.toBeInTheDocument();
    }
  });
});
