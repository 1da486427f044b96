/** Fixtures of the fleet page tests: a fleet summary, adapters, a fake API and the page rendered around it. */
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  DriftReport,
  FleetCell,
  FleetSummary,
  MeshAdapterInfo,
  Operation,
  OperationLogEntry,
} from '@meshstage/plugin-mesh-common';
import { meshApiRef, type MeshApi } from '../../../api';
import { MeshPageContent } from '../MeshPage';
import { entityRouteRef } from '@backstage/plugin-catalog-react';

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
        scanId: '2e4a6c8e-0b1d-4f3a-8c5e-7a9b1d3f5e70',
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
    {
      routeEntries: [route],
      // Entity links (an operation's cause) need the catalog's entity page, as in an app.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

/** A drift report of Istio on dev: istiod's image changed out of band, its Service deleted. */
export const driftedReport: DriftReport = {
  cluster: 'dev',
  mesh: 'istio',
  checkedAt: '2026-12-01T10:05:00.000Z',
  drifted: true,
  objects: [
    {
      ref: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'istiod',
      },
      status: 'modified',
      operationId: 'op-1',
      differences: [
        {
          path: '/spec/template/spec/containers/discovery/image',
          desired: 'docker.io/istio/pilot:1.30.3',
          live: 'docker.io/istio/pilot:evil',
        },
        { path: '/spec/replicas', desired: 1 },
      ],
    },
    {
      ref: {
        apiVersion: 'v1',
        kind: 'Service',
        namespace: 'istio-system',
        name: 'istiod',
      },
      status: 'missing',
      operationId: 'op-1',
      differences: [],
    },
    {
      ref: { apiVersion: 'v1', kind: 'Namespace', name: 'istio-system' },
      status: 'in-sync',
      operationId: 'op-1',
      differences: [],
    },
  ],
};

/** An Istio upgrade on dev interrupted at its third step of four (a backend crash). */
export const interruptedOperation: Operation = {
  id: 'op-9',
  cluster: 'dev',
  mesh: 'istio',
  action: 'upgrade',
  request: {
    action: 'upgrade',
    cluster: 'dev',
    mesh: 'istio',
    toVersion: '1.30.3',
    strategy: 'canary',
  },
  summary: 'Upgrade Istio on dev to 1.30.3 (canary)',
  state: 'interrupted',
  createdBy: 'user:default/ann',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:01:00.000Z',
  startedAt: '2026-12-01T09:00:01.000Z',
  error:
    'Interrupted: backend instance vm-1 stopped while running step 3 (last heartbeat 2026-12-01T09:00:30.000Z)',
  currentStep: 2,
  run: 1,
  plan: {
    request: {
      action: 'upgrade',
      cluster: 'dev',
      mesh: 'istio',
      toVersion: '1.30.3',
      strategy: 'canary',
    },
    summary: 'Upgrade Istio on dev to 1.30.3 (canary)',
    steps: [
      {
        type: 'apply',
        description: 'Apply Deployment/istio-system/istiod-1-30-3',
        target: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'istio-system',
          name: 'istiod-1-30-3',
        },
      },
      {
        type: 'wait',
        description:
          'Wait for Deployment/istio-system/istiod-1-30-3 to be Available',
        target: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'istio-system',
          name: 'istiod-1-30-3',
        },
      },
      {
        type: 'apply',
        description: 'Apply Namespace/bookinfo (istio.io/rev=1-30-3)',
        target: { apiVersion: 'v1', kind: 'Namespace', name: 'bookinfo' },
      },
      {
        type: 'delete',
        description: 'Delete Deployment/istio-system/istiod-1-29-6',
        target: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'istio-system',
          name: 'istiod-1-29-6',
        },
      },
    ],
  } as Operation['plan'],
};

export const interruptedLog: OperationLogEntry[] = [
  {
    seq: 1,
    time: '2026-12-01T09:00:01.000Z',
    level: 'info',
    message: 'Step 1/4: Apply Deployment/istio-system/istiod-1-30-3',
    step: 0,
  },
  {
    seq: 2,
    time: '2026-12-01T09:00:02.000Z',
    level: 'info',
    message: 'Step 3/4: Apply Namespace/bookinfo (istio.io/rev=1-30-3)',
    step: 2,
  },
  {
    seq: 3,
    time: '2026-12-01T09:01:00.000Z',
    level: 'warn',
    message: `Interrupted: backend instance vm-1 stopped while running step 3 (last heartbeat 2026-12-01T09:00:30.000Z); resume or revert it`,
  },
];

/** A fake API whose operation op-9 is interrupted, with resume and revert previews and runs. */
export function interruptedApi(over: Partial<MeshApi> = {}) {
  const listItem = {
    ...interruptedOperation,
    plan: undefined,
    steps: interruptedOperation.plan.steps.length,
  };
  return fakeApi({
    getFleet: jest.fn(async () => ({
      ...fleet,
      clusters: fleet.clusters.map(c =>
        c.name === 'dev'
          ? {
              ...c,
              meshes: c.meshes.map(m =>
                m.mesh === 'istio'
                  ? {
                      ...m,
                      interruptedOperations: [
                        {
                          id: interruptedOperation.id,
                          action: interruptedOperation.action,
                          summary: interruptedOperation.summary,
                          state: interruptedOperation.state,
                          createdBy: interruptedOperation.createdBy,
                          createdAt: interruptedOperation.createdAt,
                        },
                      ],
                    }
                  : m,
              ),
            }
          : c,
      ),
    })),
    listOperations: jest.fn(async () => [listItem]),
    getOperation: jest.fn(async () => ({
      operation: interruptedOperation,
      log: interruptedLog,
    })),
    previewResumeOperation: jest.fn(async () => ({
      operation: interruptedOperation,
      plan: interruptedOperation.plan,
      diff: '# Resume: Upgrade Istio on dev to 1.30.3 (canary)\n\n## 3. Apply Namespace/bookinfo\n~ Namespace/bookinfo\n~   /metadata/labels/istio.io~1rev: 1-29-6 -> 1-30-3\n',
    })),
    resumeOperation: jest.fn(async () => ({
      ...interruptedOperation,
      state: 'running' as const,
      run: 2,
    })),
    previewRevertOperation: jest.fn(async () => ({
      operation: interruptedOperation,
      plan: interruptedOperation.plan,
      diff: '# Revert: Upgrade Istio on dev to 1.30.3 (canary)\n\n## 1. Restore Namespace/bookinfo (/metadata/labels/istio.io~1rev)\n~ Namespace/bookinfo\n## 2. Delete Deployment/istio-system/istiod-1-30-3 (it did not exist before)\n- Deployment/istio-system/istiod-1-30-3\n',
    })),
    revertOperation: jest.fn(async () => ({
      ...interruptedOperation,
      state: 'reverting' as const,
      run: 2,
    })),
    ...over,
  } as any);
}

/** A failed onboard of namespace bookinfo on dev, which its owners may resume or revert too. */
export const failedOnboardOperation: Operation = {
  id: 'op-12',
  cluster: 'dev',
  mesh: 'istio',
  action: 'onboard',
  request: {
    action: 'onboard',
    cluster: 'dev',
    mesh: 'istio',
    namespace: 'bookinfo',
  },
  summary: 'Onboard namespace bookinfo to Istio on dev',
  state: 'failed',
  createdBy: 'user:default/alice',
  createdAt: '2026-12-01T11:00:00.000Z',
  updatedAt: '2026-12-01T11:00:05.000Z',
  startedAt: '2026-12-01T11:00:01.000Z',
  finishedAt: '2026-12-01T11:00:05.000Z',
  error: 'Restart Deployment/bookinfo/reviews-v1: 403 Forbidden',
  currentStep: 1,
  run: 1,
  plan: {
    request: {
      action: 'onboard',
      cluster: 'dev',
      mesh: 'istio',
      namespace: 'bookinfo',
    },
    summary: 'Onboard namespace bookinfo to Istio on dev',
    steps: [
      {
        type: 'apply',
        description: 'Label Namespace/bookinfo for injection',
        target: { apiVersion: 'v1', kind: 'Namespace', name: 'bookinfo' },
      },
      {
        type: 'patch',
        description: 'Restart Deployment/bookinfo/reviews-v1',
        target: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'bookinfo',
          name: 'reviews-v1',
        },
      },
    ],
  } as Operation['plan'],
};

/** {@link interruptedApi} whose only operation is {@link failedOnboardOperation}. */
export function failedOnboardApi(over: Partial<MeshApi> = {}) {
  const op = failedOnboardOperation;
  return interruptedApi({
    listOperations: jest.fn(async () => [
      { ...op, plan: undefined, steps: op.plan.steps.length },
    ]),
    getOperation: jest.fn(async () => ({ operation: op, log: [] })),
    previewResumeOperation: jest.fn(async () => ({
      operation: op,
      plan: op.plan,
      diff: '# Resume: Onboard namespace bookinfo to Istio on dev\n\n## 2. Restart Deployment/bookinfo/reviews-v1\n~ Deployment/bookinfo/reviews-v1 (restart)\n',
    })),
    resumeOperation: jest.fn(async () => ({
      ...op,
      state: 'running' as const,
      run: 2,
    })),
    previewRevertOperation: jest.fn(async () => ({
      operation: op,
      plan: op.plan,
      diff: '# Revert: Onboard namespace bookinfo to Istio on dev\n\n## 1. Restore Namespace/bookinfo\n~ Namespace/bookinfo\n',
    })),
    ...over,
  } as any);
}
