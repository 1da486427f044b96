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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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
import { MeshApi, meshApiRef } from '../../api';
import type { OperationStreamOptions } from '../../api/MeshOperationsApi';
import { EntityMeshContent } from './EntityMeshContent';

// The machine running the suite may be busy: generous ceilings, no timing assertions.
jest.setTimeout(60_000);
const slow = { timeout: 15_000 };

const HOLDER = '4b13dbcf-432c-407b-a5cb-fdbedf81c634';

const reviews: Entity = {
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

const DIFF = `# Onboard namespace bookinfo to Istio on dev

## 1. Label namespace bookinfo for injection
~ Namespace/bookinfo (enable sidecar injection)
~   /metadata/labels/istio-injection: "enabled"

## 2. Restart Deployment/bookinfo/reviews-v1
~ Deployment/bookinfo/reviews-v1 (restart)
~   /spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt: "2026-12-02T10:00:00Z"

## 3. Wait for Deployment/bookinfo/reviews-v1 to roll out
… wait for Deployment/bookinfo/reviews-v1 RolloutComplete (timeout 300s)
`;

const pod = (meshed: boolean): MeshPodStatus => ({
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

const istio = (
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

const line = (
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
function fakeBackend(
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

async function render(
  meshApi: MeshApi,
  opts: { pollIntervalMs?: number; deny?: boolean; entity?: Entity } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [meshApiRef, meshApi],
        [
          permissionApiRef,
          mockApis.permission(
            opts.deny ? { authorize: AuthorizeResult.DENY } : undefined,
          ),
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

async function openAndConfirm(name: string, title: RegExp) {
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

describe('EntityMeshContent operations', () => {
  it('onboards: plan, confirm, streamed log to the final state, then the pods with sidecars', async () => {
    const backend = fakeBackend();
    await render(backend.api);
    expect(
      within(await screen.findByTestId('pod-table', {}, slow)).getByText(
        'no proxy',
      ),
    ).toBeInTheDocument();

    const button = await screen.findByRole('button', { name: 'Onboard' }, slow);
    await waitFor(() => expect(button).toBeEnabled(), slow);
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog', { name: /Onboard/ }, slow);
    expect(dialog).toHaveAccessibleName('Onboard bookinfo to istio on dev');
    // The plan, by step, coloured by line kind.
    const plan = await within(dialog).findByTestId('plan-preview', {}, slow);
    expect(
      within(plan).getByText('Onboard namespace bookinfo to Istio on dev'),
    ).toBeInTheDocument();
    expect(
      within(plan).getByRole('button', {
        name: /1\. Label namespace bookinfo for injection/,
      }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(plan).getByText('~ Namespace/bookinfo (enable sidecar injection)'),
    ).toHaveAttribute('data-kind', 'change');
    expect(within(plan).getByText(/^… wait for Deployment/)).toHaveAttribute(
      'data-kind',
      'wait',
    );
    expect(backend.fns.previewOperation).toHaveBeenCalledWith({
      action: 'onboard',
      mesh: 'istio',
      cluster: 'dev',
      namespace: 'bookinfo',
    });
    expect(backend.fns.createOperation).not.toHaveBeenCalled();

    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    });
    await waitFor(() => expect(backend.streams).toHaveLength(1), slow);
    expect(backend.fns.createOperation).toHaveBeenCalledWith({
      action: 'onboard',
      mesh: 'istio',
      cluster: 'dev',
      namespace: 'bookinfo',
    });
    const stream = backend.streams[0];
    act(() => {
      stream.onEvent({
        type: 'log',
        entry: line(1, 'Step 1/3: Label namespace bookinfo', 0),
      });
      stream.onEvent({
        type: 'log',
        entry: line(2, 'Step 2/3: Restart Deployment/bookinfo/reviews-v1', 1),
      });
    });
    const log = within(dialog).getByTestId('operation-log');
    expect(
      await within(log).findByText(/Step 2\/3: Restart/, {}, slow),
    ).toBeInTheDocument();
    expect(within(log).queryByText(/succeeded/)).not.toBeInTheDocument();

    const readsBefore = backend.state.statusReads;
    backend.state.meshed = true;
    act(() => {
      stream.onEvent({
        type: 'log',
        entry: line(3, 'Step 3/3 done: rolled out', 2),
      });
      stream.onEvent({
        type: 'state',
        state: { state: 'succeeded', currentStep: 2 },
      });
      stream.end();
    });
    expect(
      await within(log).findByText('Operation succeeded', {}, slow),
    ).toBeInTheDocument();
    // Status re-read once the operation ended: the pod now shows its sidecar.
    const table = screen.getByTestId('pod-table');
    expect(
      await within(table).findByText('istio 1.24.2', {}, slow),
    ).toBeInTheDocument();
    expect(backend.state.statusReads).toBeGreaterThan(readsBefore);
    expect(within(table).getByText('meshed')).toBeInTheDocument();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    // The tab keeps the last operation's log.
    expect(
      await screen.findByText('Last operation', {}, slow),
    ).toBeInTheDocument();
  });

  it('follows the pods while the operation runs', async () => {
    const backend = fakeBackend();
    await render(backend.api, { pollIntervalMs: 5 });
    const { dialog } = await openAndConfirm('Onboard', /Onboard/);
    await waitFor(() => expect(backend.streams).toHaveLength(1), slow);
    // No final state yet; the pods gain sidecars and the table follows.
    backend.state.meshed = true;
    const table = screen.getByTestId('pod-table');
    expect(
      await within(table).findByText('istio 1.24.2', {}, slow),
    ).toBeInTheDocument();
    expect(within(dialog).getByTestId('operation-log')).not.toHaveTextContent(
      'succeeded',
    );
    act(() => {
      backend.streams[0].onEvent({
        type: 'state',
        state: { state: 'succeeded' },
      });
      backend.streams[0].end();
    });
    expect(
      await within(dialog).findByText('Operation succeeded', {}, slow),
    ).toBeInTheDocument();
  });

  it('offboards, and shows a failed operation with its error', async () => {
    const backend = fakeBackend({ meshed: true });
    await render(backend.api);
    const { dialog } = await openAndConfirm('Offboard', /Offboard/);
    expect(dialog).toHaveAccessibleName('Offboard bookinfo from istio on dev');
    await waitFor(() => expect(backend.streams).toHaveLength(1), slow);
    expect(backend.fns.createOperation).toHaveBeenCalledWith({
      action: 'offboard',
      mesh: 'istio',
      cluster: 'dev',
      namespace: 'bookinfo',
    });
    act(() => {
      backend.streams[0].onEvent({
        type: 'log',
        entry: { ...line(1, 'Step 2/3 failed: timed out', 1), level: 'error' },
      });
      backend.streams[0].onEvent({
        type: 'state',
        state: {
          state: 'failed',
          error: 'Deployment/bookinfo/reviews-v1 did not roll out',
          currentStep: 1,
        },
      });
      backend.streams[0].end();
    });
    const log = within(dialog).getByTestId('operation-log');
    expect(
      await within(log).findByText('Operation failed', {}, slow),
    ).toBeInTheDocument();
    expect(
      within(log).getByText('Deployment/bookinfo/reviews-v1 did not roll out'),
    ).toBeInTheDocument();
  });

  it('shows the backend’s 409 with the operation holding the cluster and mesh', async () => {
    const message = `Operation ${HOLDER} is in progress on cluster 'dev' for mesh 'istio'; wait for it to finish, or resume or revert it if it was interrupted`;
    const backend = fakeBackend({
      createOperation: async () => {
        throw Object.assign(new Error('Request failed with 409 Conflict'), {
          name: 'ResponseError',
          statusCode: 409,
          body: {
            error: { name: 'ConflictError', message },
            response: { statusCode: 409 },
            operationId: HOLDER,
          },
          cause: { name: 'ConflictError', message },
        });
      },
    });
    await render(backend.api);
    const { dialog } = await openAndConfirm('Onboard', /Onboard/);
    const alert = await within(dialog).findByRole('alert', {}, slow);
    expect(alert).toHaveTextContent(message);
    expect(
      within(alert).getByTestId('conflict-operation-id'),
    ).toHaveTextContent(HOLDER);
    // Its log, on request.
    fireEvent.click(
      within(alert).getByRole('button', { name: 'Show its log' }),
    );
    await waitFor(
      () => expect(backend.streams.map(s => s.id)).toEqual([HOLDER]),
      slow,
    );
  });

  it('disables the actions the user may not run, saying why', async () => {
    const backend = fakeBackend();
    await render(backend.api, { deny: true });
    const onboard = await screen.findByRole(
      'button',
      { name: 'Onboard' },
      slow,
    );
    expect(onboard).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Offboard' })).toBeDisabled();
    expect(
      await screen.findByText(
        /You do not have permission to onboard namespaces to a mesh \(mesh\.operation\.onboard\)\./,
        {},
        slow,
      ),
    ).toBeInTheDocument();
    expect(onboard).toHaveAccessibleDescription(/mesh\.operation\.onboard/);
  });

  it('explains that the expected mesh is not installed instead of offering onboarding', async () => {
    const backend = fakeBackend({
      clusters: [{ name: 'dev', installed: false }],
    });
    await render(backend.api);
    expect(
      await screen.findByText('istio is not installed on dev.', {}, slow),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/A platform engineer installs the mesh/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Onboard/ }),
    ).not.toBeInTheDocument();
  });

  it('names each cluster’s action when there are several', async () => {
    const backend = fakeBackend({
      clusters: [
        { name: 'dev', installed: true },
        { name: 'prod', installed: true },
        { name: 'edge', installed: false },
      ],
    });
    await render(backend.api);
    expect(
      await screen.findByRole(
        'button',
        { name: 'Onboard bookinfo on dev' },
        slow,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Onboard bookinfo on prod' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Offboard bookinfo on prod' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /on edge/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('istio is not installed on edge.'),
    ).toBeInTheDocument();
  });
});
