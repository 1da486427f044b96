/** Fixtures of the Mesh tab's operation tests: a fake backend and the tab rendered around it. */
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityMeshStatus,
  LifecycleRequest,
  MeshPodStatus,
  MeshStatus,
  Operation,
  OperationListFilter,
  OperationListItem,
  OperationLogEntry,
} from '@meshstage/plugin-mesh-common';
import { MeshApi, meshApiRef } from '../../../api';
import type { OperationStreamOptions } from '../../../api/MeshOperationsApi';
import { EntityMeshContent } from '../EntityMeshContent';

// The machine running the suite may be busy: generous ceilings, no timing assertions.
export const slow = { timeout: 30_000 };

export const HOLDER = '4b13dbcf-432c-407b-a5cb-fdbedf81c634';

export const reviews: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'reviews',
    annotations: {
      'backstage.io/kubernetes-id': 'reviews',
      'backstage.io/kubernetes-namespace': 'bookinfo',
      'meshstage.io/mesh': 'istio',
    },
  },
  spec: { type: 'service', owner: 'guests', lifecycle: 'production' },
};

export const DIFF = `# Onboard namespace bookinfo to Istio on dev

## 1. Label namespace bookinfo for injection
~ Namespace/bookinfo (enable sidecar injection)
~   /metadata/labels/istio-injection: "enabled"

## 2. Restart Deployment/bookinfo/reviews-v1
~ Deployment/bookinfo/reviews-v1 (restart)
~   /spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt: "2026-12-02T10:00:00Z"

## 3. Wait for Deployment/bookinfo/reviews-v1 to roll out
… wait for Deployment/bookinfo/reviews-v1 RolloutComplete (timeout 300s)
`;

export const pod = (meshed: boolean): MeshPodStatus => ({
  name: 'reviews-v1-abc',
  namespace: 'bookinfo',
  phase: 'Running',
  ready: true,
  ...(meshed ? { mesh: 'istio', proxyVersion: '1.24.2' } : {}),
  containers: [
    { name: 'reviews', image: 'reviews:1', proxy: false },
    ...(meshed
      ? [
          {
            name: 'istio-proxy',
            image: 'docker.io/istio/proxyv2:1.24.2',
            proxy: true,
          },
        ]
      : []),
  ],
});

export const istio = (
  cluster: string,
  installed: boolean,
  injected: boolean,
): MeshStatus => ({
  mesh: 'istio',
  cluster,
  installed,
  versions: installed ? ['1.24.2'] : [],
  revisions: installed ? ['default'] : [],
  components: [],
  namespaces: injected
    ? [{ name: 'bookinfo', injectionEnabled: true, pods: 1, meshedPods: 1 }]
    : [],
  ...(installed
    ? { mtls: { mode: 'PERMISSIVE' as const, source: 'default' } }
    : {}),
});

export const line = (
  seq: number,
  message: string,
  step?: number,
): OperationLogEntry => ({
  seq,
  time: `2026-12-02T10:00:0${seq}.000Z`,
  level: 'info',
  message,
  ...(step !== undefined ? { step } : {}),
});

export const FAILED_ID = '0f5a2b1c-3d4e-4f60-8a7b-9c0d1e2f3a4b';

/** An onboard of the tab's namespace that failed at its second step, as `GET /operations` lists it. */
export const failedOnboard = (
  over: Partial<OperationListItem> = {},
): OperationListItem => ({
  id: FAILED_ID,
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
  createdBy: 'user:default/guest',
  createdAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:00:05.000Z',
  startedAt: '2026-12-02T09:00:01.000Z',
  finishedAt: '2026-12-02T09:00:05.000Z',
  error:
    'Restart Deployment/bookinfo/reviews-v1: 403 Forbidden (deployments.apps "reviews-v1" is forbidden)',
  currentStep: 1,
  run: 1,
  steps: 3,
  ...over,
});

export const RESUME_DIFF = `# Resume: Onboard namespace bookinfo to Istio on dev

## 2. Restart Deployment/bookinfo/reviews-v1
~ Deployment/bookinfo/reviews-v1 (restart)
`;

export const REVERT_DIFF = `# Revert: Onboard namespace bookinfo to Istio on dev

## 1. Restore Namespace/bookinfo (/metadata/labels/istio-injection)
~ Namespace/bookinfo
~   /metadata/labels/istio-injection: "enabled" -> (absent)
`;

/** A fake backend whose event streams the test drives, and whose pods gain sidecars on cue. */
export function fakeBackend(
  options: {
    clusters?: Array<{ name: string; installed: boolean }>;
    meshed?: boolean;
    createOperation?: (request: LifecycleRequest) => Promise<Operation>;
    /** What `GET /operations` holds (newest first); filtered by cluster and mesh like the backend. */
    operations?: OperationListItem[];
    resumeOperation?: (id: string) => Promise<Operation>;
    revertOperation?: (id: string) => Promise<Operation>;
  } = {},
) {
  const clusters = options.clusters ?? [{ name: 'dev', installed: true }];
  const state = { meshed: options.meshed ?? false, statusReads: 0 };
  const streams: Array<
    OperationStreamOptions & { id: string; end: () => void }
  > = [];
  const operation = (request: LifecycleRequest): Operation => ({
    id: '6d370298-7055-44d1-a48c-e50bdb315768',
    cluster: request.cluster,
    mesh: request.mesh,
    action: request.action,
    request,
    plan: { request, summary: `${request.action} bookinfo`, steps: [] },
    summary: `${
      request.action === 'onboard' ? 'Onboard' : 'Offboard'
    } namespace bookinfo to Istio on ${request.cluster}`,
    state: 'running',
    createdBy: 'user:default/guest',
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:00:00.000Z',
    run: 1,
  });
  const api = {
    getAdapters: async () => [],
    getClusters: async () => [],
    getStatus: async () =>
      clusters.map(c => istio(c.name, c.installed, state.meshed)),
    getEntityStatus: async (): Promise<EntityMeshStatus> => {
      state.statusReads += 1;
      return {
        entityRef: 'component:default/reviews',
        desiredMesh: 'istio',
        labelSelector: 'backstage.io/kubernetes-id=reviews',
        clusters: clusters.map(c => ({
          cluster: c.name,
          pods: [pod(state.meshed)],
          meshedPods: state.meshed ? 1 : 0,
        })),
      };
    },
    previewOperation: jest.fn(async (request: LifecycleRequest) => ({
      plan: { request, summary: 'Onboard', steps: [] },
      diff: DIFF,
    })),
    createOperation: jest.fn(
      options.createOperation ??
        (async (request: LifecycleRequest) => operation(request)),
    ),
    listOperations: jest.fn(async (filter: OperationListFilter = {}) =>
      (options.operations ?? [])
        .filter(
          op =>
            (!filter.cluster || op.cluster === filter.cluster) &&
            (!filter.mesh || op.mesh === filter.mesh),
        )
        .slice(0, filter.limit ?? 50),
    ),
    previewResumeOperation: jest.fn(async (id: string) => ({
      operation: { id },
      plan: { request: {}, summary: 'Resume', steps: [] },
      diff: RESUME_DIFF,
    })),
    previewRevertOperation: jest.fn(async (id: string) => ({
      operation: { id },
      plan: { request: {}, summary: 'Revert', steps: [] },
      diff: REVERT_DIFF,
    })),
    // A further run of the same row: same id, run + 1.
    resumeOperation: jest.fn(
      options.resumeOperation ??
        (async (id: string) => ({
          ...operation(failedOnboard().request),
          id,
          run: 2,
        })),
    ),
    revertOperation: jest.fn(
      options.revertOperation ??
        (async (id: string) => ({
          ...operation(failedOnboard().request),
          id,
          state: 'reverting' as const,
          run: 2,
        })),
    ),
    streamOperationEvents: jest.fn(
      (id: string, o: OperationStreamOptions) =>
        new Promise<void>(resolve => {
          streams.push({ ...o, id, end: resolve });
          o.signal?.addEventListener('abort', () => resolve());
        }),
    ),
  };
  return { api: api as unknown as MeshApi, fns: api, state, streams };
}

export async function render(
  meshApi: MeshApi,
  opts: {
    pollIntervalMs?: number;
    deny?: boolean;
    /** The permission API's answer per request (instead of `deny`). */
    authorize?: (
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    entity?: Entity;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, meshApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              opts.authorize ??
              (opts.deny ? AuthorizeResult.DENY : AuthorizeResult.ALLOW),
          }),
        ],
      ]}
    >
      <EntityProvider entity={opts.entity ?? reviews}>
        <EntityMeshContent
          pollIntervalMs={opts.pollIntervalMs ?? 60 * 60 * 1000}
          retryDelayMs={0}
        />
      </EntityProvider>
    </TestApiProvider>,
  );
}

export async function openAndConfirm(name: string, title: RegExp) {
  const button = await screen.findByRole('button', { name }, slow);
  await waitFor(() => expect(button).toBeEnabled(), slow);
  fireEvent.click(button);
  const dialog = await screen.findByRole('dialog', { name: title }, slow);
  const plan = await within(dialog).findByTestId('plan-preview', {}, slow);
  await act(async () => {
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
  });
  return { dialog, plan };
}
