import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  HOLDER,
  fakeBackend,
  line,
  openAndConfirm,
  render,
  slow,
} from './__testUtils__/operationsFixtures';

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
