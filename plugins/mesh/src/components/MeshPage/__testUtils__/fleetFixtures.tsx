/** Fixtures of the fleet page tests: a fleet summary, adapters, a fake API and the page rendered around it. */
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  FleetCell,
  FleetSummary,
  MeshAdapterInfo,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef, type MeshApi } from '../../../api';
import { MeshPageContent } from '../MeshPage';

export const cell = (over: Partial<FleetCell>): FleetCell => ({
  mesh: 'istio',
  cluster: 'dev',
  installed: false,
  versions: [],
  revisions: [],
  components: [],
  namespaces: [],
  coverage: { pods: 0, meshedPods: 0, outdatedProxies: 0 },
  ...over,
});

export const fleet: FleetSummary = {
  generatedAt: '2026-12-01T10:00:00.000Z',
  meshes: ['istio', 'linkerd'],
  clusters: [
    {
      name: 'dev',
      url: 'http://dev',
      reachable: true,
      serverVersion: 'v1.31.0',
      findings: {
        scanId: 1,
        finishedAt: '2026-12-01T09:00:00Z',
        error: 2,
        warning: 1,
        info: 0,
      },
      meshes: [
        cell({
          installed: true,
          versions: ['1.30.3'],
          revisions: ['1-30-3'],
          revisionTags: [{ tag: 'default', revision: '1-30-3' }],
          components: [
            {
              name: 'istiod',
              namespace: 'istio-system',
              replicas: 1,
              readyReplicas: 1,
              healthy: true,
            },
          ],
          mtls: { mode: 'STRICT', source: 'x' },
          coverage: { pods: 4, meshedPods: 3, outdatedProxies: 1 },
          drift: {
            checkedAt: '2026-12-01T09:30:00Z',
            drifted: true,
            modified: 1,
            missing: 0,
          },
        }),
        cell({ mesh: 'linkerd' }),
      ],
    },
    {
      name: 'far',
      url: 'http://far',
      reachable: false,
      error: 'connect ECONNREFUSED',
      meshes: [
        cell({ cluster: 'far', error: 'connect ECONNREFUSED' }),
        cell({
          cluster: 'far',
          mesh: 'linkerd',
          error: 'connect ECONNREFUSED',
        }),
      ],
    },
  ],
};

export const adapters: MeshAdapterInfo[] = [
  {
    id: 'istio',
    displayName: 'Istio',
    supportedVersions: ['1.29.6', '1.30.3'],
    lifecycle: true,
    sampleApps: [],
  },
  {
    id: 'linkerd',
    displayName: 'Linkerd',
    supportedVersions: ['edge-26.5.5', 'edge-26.8.3'],
    lifecycle: true,
    sampleApps: [],
  },
];

export const DIFF =
  '# Install Linkerd edge-26.8.3 on dev\n\n## 1. Apply Namespace/linkerd\n+ Namespace/linkerd\n';

export function fakeApi(
  over: Partial<MeshApi> = {},
): jest.Mocked<Partial<MeshApi>> {
  return {
    getAdapters: jest.fn(async () => adapters),
    getFleet: jest.fn(async () => fleet),
    previewOperation: jest.fn(async request => ({
      plan: { request, summary: 'plan', steps: [] },
      diff: DIFF,
    })),
    createOperation: jest.fn(async request => ({
      id: 'op-1',
      cluster: request.cluster,
      mesh: request.mesh,
      action: request.action,
      request,
      summary: 'Install Linkerd edge-26.8.3 on dev',
      state: 'running' as const,
      createdBy: 'user:default/guest',
      createdAt: '2026-12-01T10:00:00Z',
      updatedAt: '2026-12-01T10:00:00Z',
      run: 1,
      plan: {
        request,
        summary: 'plan',
        steps: [
          {
            type: 'delete',
            description: 'x',
            target: { apiVersion: 'v1', kind: 'Namespace', name: 'linkerd' },
          },
        ],
      },
    })),
    streamOperationEvents: jest.fn(async (_id, { onEvent }) => {
      onEvent({
        type: 'log',
        entry: {
          seq: 1,
          time: '2026-12-01T10:00:01Z',
          step: 0,
          level: 'info',
          message: 'applied Namespace/linkerd',
        },
      });
      onEvent({ type: 'state', state: { state: 'succeeded' } });
    }),
    listOperations: jest.fn(async () => []),
    ...over,
  } as any;
}

export async function renderPage(
  api: Partial<MeshApi>,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  route = '/',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <MeshPageContent
        pollIntervalMs={0}
        busyPollIntervalMs={0}
        retryDelayMs={1}
      />
    </TestApiProvider>,
    { routeEntries: [route] },
  );
}
