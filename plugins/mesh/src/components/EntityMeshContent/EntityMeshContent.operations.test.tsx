import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  FAILED_ID,
  HOLDER,
  failedOnboard,
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

  it('offers Resume and Revert once an onboard started from the tab fails; Resume shows its plan, resumes and follows the new run', async () => {
    const backend = fakeBackend();
    await render(backend.api);
    const { dialog } = await openAndConfirm('Onboard', /Onboard/);
    await waitFor(() => expect(backend.streams).toHaveLength(1), slow);
    const id = backend.streams[0].id;
    act(() => {
      backend.streams[0].onEvent({
        type: 'log',
        entry: {
          ...line(1, 'Step 2/3 failed: 403 Forbidden', 1),
          level: 'error',
        },
      });
      backend.streams[0].onEvent({
        type: 'state',
        state: { state: 'failed', error: '403 Forbidden', currentStep: 1 },
      });
      backend.streams[0].end();
    });
    await within(dialog).findByText('Operation failed', {}, slow);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));

    const resume = await screen.findByRole('button', { name: 'Resume' }, slow);
    expect(screen.getByText('Last operation')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Revert' })).toBeEnabled();
    await waitFor(() => expect(resume).toBeEnabled(), slow);
    fireEvent.click(resume);

    const again = await screen.findByRole(
      'dialog',
      { name: 'Resume: Onboard namespace bookinfo to Istio on dev' },
      slow,
    );
    expect(again).toHaveTextContent(
      'again from step 2, the one that did not finish',
    );
    const plan = await within(again).findByTestId('plan-preview', {}, slow);
    expect(plan).toHaveTextContent('Restart Deployment/bookinfo/reviews-v1');
    expect(backend.fns.previewResumeOperation).toHaveBeenCalledWith(id);
    expect(backend.fns.resumeOperation).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(within(again).getByRole('button', { name: 'Confirm' }));
    });
    expect(backend.fns.resumeOperation).toHaveBeenCalledWith(id);
    expect(backend.fns.revertOperation).not.toHaveBeenCalled();
    // The new run's log, live (the one stream left open); Onboard waits for it.
    const open = () => backend.streams.filter(s => !s.signal?.aborted);
    await waitFor(() => expect(open().map(s => s.id)).toEqual([id]), slow);
    expect(
      // Behind the open dialog.
      screen.getByRole('button', { name: 'Onboard', hidden: true }),
    ).toBeDisabled();
    const run2 = open()[0];
    act(() => {
      run2.onEvent({
        type: 'state',
        state: { state: 'succeeded', currentStep: 2 },
      });
      run2.end();
    });
    await within(again).findByText('Operation succeeded', {}, slow);
    fireEvent.click(within(again).getByRole('button', { name: 'Close' }));
    expect(
      await screen.findByText('Last operation', {}, slow),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Revert' })).toBeNull();
  });

  it('after a reload, finds the namespace’s failed onboard and reverts it through its plan', async () => {
    const backend = fakeBackend({
      operations: [
        // Newest first, as the backend lists them: another namespace's, then this one's.
        failedOnboard({
          id: '5e0c1d2a-7b3f-4c9e-9a1d-2b3c4d5e6f70',
          request: {
            action: 'onboard',
            cluster: 'dev',
            mesh: 'istio',
            namespace: 'ratings',
          },
          summary: 'Onboard namespace ratings to Istio on dev',
          createdAt: '2026-12-02T09:30:00.000Z',
        }),
        failedOnboard(),
      ],
    });
    await render(backend.api);
    const revert = await screen.findByRole('button', { name: 'Revert' }, slow);
    expect(backend.fns.listOperations).toHaveBeenCalledWith({
      cluster: 'dev',
      mesh: 'istio',
      limit: 50,
    });
    expect(screen.getByText('Last operation')).toBeInTheDocument();
    expect(
      screen.getByText('Onboard namespace bookinfo to Istio on dev'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Onboard namespace ratings to Istio on dev'),
    ).toBeNull();
    // Its log, read from the stream of the failed operation.
    await waitFor(
      () => expect(backend.streams.map(s => s.id)).toEqual([FAILED_ID]),
      slow,
    );
    act(() => {
      backend.streams[0].onEvent({
        type: 'state',
        state: { state: 'failed', error: '403 Forbidden', currentStep: 1 },
      });
      backend.streams[0].end();
    });
    await waitFor(() => expect(revert).toBeEnabled(), slow);
    fireEvent.click(revert);
    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Revert: Onboard namespace bookinfo to Istio on dev' },
      slow,
    );
    const plan = await within(dialog).findByTestId('plan-preview', {}, slow);
    expect(plan).toHaveTextContent('Restore Namespace/bookinfo');
    expect(backend.fns.previewRevertOperation).toHaveBeenCalledWith(FAILED_ID);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    });
    expect(backend.fns.revertOperation).toHaveBeenCalledWith(FAILED_ID);
    expect(backend.fns.resumeOperation).not.toHaveBeenCalled();
  });

  it('offers nothing to resume when the namespace’s newest operation succeeded', async () => {
    const backend = fakeBackend({
      operations: [
        failedOnboard({
          id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
          state: 'succeeded',
          error: undefined,
          createdAt: '2026-12-02T09:10:00.000Z',
        }),
        failedOnboard(),
      ],
    });
    await render(backend.api);
    await screen.findByRole('button', { name: 'Onboard' }, slow);
    await waitFor(
      () => expect(backend.fns.listOperations).toHaveBeenCalled(),
      slow,
    );
    expect(screen.queryByText('Last operation')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
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
