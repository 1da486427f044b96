import { screen } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import type { EntityFindings } from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../../api';
import { EntityValidationContent } from './EntityValidationContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    annotations: { 'backstage.io/kubernetes-id': 'reviews' },
  },
  spec: {},
};

const allClear: EntityFindings = {
  entityRef: 'component:default/reviews',
  clusters: [
    {
      cluster: 'dev',
      scan: {
        id: '7a3e9f1c-2d4b-4c6e-8f0a-1b3d5e7f9a2c',
        cluster: 'dev',
        trigger: 'schedule',
        status: 'succeeded',
        startedAt: '2026-12-01T10:00:00.000Z',
        finishedAt: '2026-12-01T10:00:02.000Z',
        previousScanId: '4c8e2a6f-1b3d-4e5f-9a7c-0d2e4f6a8b1c',
        meshes: ['istio'],
        summary: { error: 0, warning: 0, info: 0, suppressed: 0 },
        new: 0,
        fixed: 0,
      },
      findings: [],
      fixed: [],
    },
  ],
  codes: [],
};

describe('ScanNowButton', () => {
  it('disables "Scan now" with the reason when mesh.validation.scan is denied', async () => {
    const scanCluster = jest.fn();
    const meshApi = {
      getEntityFindings: async () => allClear,
      scanCluster,
    } as unknown as MeshApi;
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [meshApiRef, meshApi],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <EntityValidationContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const reason =
      'You do not have permission to start validation scans (mesh.validation.scan).';
    await screen.findByText(reason);
    const button = screen.getByRole('button', { name: 'Scan now' });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(reason);
    expect(scanCluster).not.toHaveBeenCalled();
  });
});
