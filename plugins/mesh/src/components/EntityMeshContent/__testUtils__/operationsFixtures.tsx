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

/** A fake backend whose event streams the test drives, and whose pods gain sidecars on cue. */
export function fakeBackend(
  options: {
    clusters?: Array<{ name: string; installed: boolean }>;
    meshed?: boolean;
    createOperation?: (request: LifecycleRequest) => Promise<Operation>;
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
