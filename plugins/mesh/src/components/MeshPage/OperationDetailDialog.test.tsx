import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  interruptedApi,
  interruptedOperation,
  renderPage,
} from './__testUtils__/fleetFixtures';

const ID = interruptedOperation.id;

describe('MeshPageContent interrupted operations', () => {
  it('shows Resume or revert on the cell, then the operation with its interrupted step', async () => {
    const api = interruptedApi();
    await renderPage(api);
    const cell = await screen.findByTestId('fleet-cell-dev-istio');
    expect(cell).toHaveTextContent(
      'Interrupted: Upgrade Istio on dev to 1.30.3 (canary)',
    );
    fireEvent.click(
      within(cell).getByRole('button', { name: 'Resume or revert' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: `Operation ${ID}`,
    });
    expect(
      await within(dialog).findByTestId('operation-state'),
    ).toHaveTextContent('interrupted');
    expect(api.getOperation).toHaveBeenCalledWith(ID);
    expect(dialog).toHaveTextContent('user:default/ann');
    expect(dialog).toHaveTextContent('Plan (4 steps)');
    // The step it was on when the backend stopped.
    expect(
      within(dialog).getByText(/apply: Apply Namespace\/bookinfo/),
    ).toHaveAttribute('aria-current', 'step');
    expect(dialog).toHaveTextContent(
      'Interrupted: backend instance vm-1 stopped while running step 3',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Resume' }),
    ).toBeEnabled();
    expect(
      within(dialog).getByRole('button', { name: 'Revert' }),
    ).toBeEnabled();
  });

  it('reverts from the operations list through the revert plan and confirmation', async () => {
    const api = interruptedApi({
      streamOperationEvents: jest.fn(async (_id, { onEvent }) => {
        onEvent({
          type: 'log',
          entry: {
            seq: 4,
            time: '2026-12-01T10:00:01Z',
            level: 'info',
            message:
              'Revert step 2/2: Delete Deployment/istio-system/istiod-1-30-3',
          },
        });
        onEvent({ type: 'state', state: { state: 'reverted' } });
      }),
    } as any);
    await renderPage(api, AuthorizeResult.ALLOW, '/?tab=operations');
    const table = await screen.findByTestId('operations-table');
    expect(within(table).getByTestId(`operation-row-${ID}`)).toHaveTextContent(
      'interrupted',
    );
    fireEvent.click(
      within(table).getByRole('button', {
        name: 'Upgrade Istio on dev to 1.30.3 (canary)',
      }),
    );
    const detail = await screen.findByRole('dialog', {
      name: `Operation ${ID}`,
    });
    fireEvent.click(
      await within(detail).findByRole('button', { name: 'Revert' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: `Revert operation ${ID}`,
    });
    const plan = await within(dialog).findByTestId('plan-preview');
    expect(plan).toHaveTextContent(
      'Delete Deployment/istio-system/istiod-1-30-3 (it did not exist before)',
    );
    expect(plan).toHaveTextContent('Restore Namespace/bookinfo');
    expect(api.previewRevertOperation).toHaveBeenCalledWith(ID);
    expect(api.previewResumeOperation).not.toHaveBeenCalled();
    expect(api.revertOperation).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    const log = await within(dialog).findByTestId('operation-log');
    await waitFor(() => expect(log).toHaveTextContent('Operation reverted'));
    expect(log).toHaveTextContent(
      'Revert step 2/2: Delete Deployment/istio-system/istiod-1-30-3',
    );
    expect(api.revertOperation).toHaveBeenCalledTimes(1);
    expect(api.revertOperation).toHaveBeenCalledWith(ID);
    expect(api.resumeOperation).not.toHaveBeenCalled();

    // Closing goes back to the operation, read again.
    const reads = (api.getOperation as jest.Mock).mock.calls.length;
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await screen.findByRole('dialog', { name: `Operation ${ID}` });
    await waitFor(() =>
      expect((api.getOperation as jest.Mock).mock.calls.length).toBeGreaterThan(
        reads,
      ),
    );
  });

  it('resumes through the resume plan and confirmation', async () => {
    const api = interruptedApi();
    await renderPage(api);
    const cell = await screen.findByTestId('fleet-cell-dev-istio');
    fireEvent.click(
      within(cell).getByRole('button', { name: 'Resume or revert' }),
    );
    const detail = await screen.findByRole('dialog', {
      name: `Operation ${ID}`,
    });
    fireEvent.click(
      await within(detail).findByRole('button', { name: 'Resume' }),
    );

    const dialog = await screen.findByRole('dialog', {
      name: `Resume operation ${ID}`,
    });
    const plan = await within(dialog).findByTestId('plan-preview');
    expect(plan).toHaveTextContent('Resume: Upgrade Istio on dev to 1.30.3');
    expect(plan).toHaveTextContent('Apply Namespace/bookinfo');
    expect(api.previewResumeOperation).toHaveBeenCalledWith(ID);
    expect(api.resumeOperation).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    const log = await within(dialog).findByTestId('operation-log');
    await waitFor(() => expect(log).toHaveTextContent('Operation succeeded'));
    expect(api.resumeOperation).toHaveBeenCalledWith(ID);
    expect(api.revertOperation).not.toHaveBeenCalled();
  });

  it('offers neither Resume nor Revert on a succeeded operation', async () => {
    const api = interruptedApi({
      getOperation: jest.fn(async () => ({
        operation: {
          ...interruptedOperation,
          state: 'succeeded',
          error: undefined,
          finishedAt: '2026-12-01T09:00:41.000Z',
        },
        log: [],
      })),
    } as any);
    await renderPage(api, AuthorizeResult.ALLOW, '/?tab=operations');
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Upgrade Istio on dev to 1.30.3 (canary)',
      }),
    );
    const detail = await screen.findByRole('dialog', {
      name: `Operation ${ID}`,
    });
    expect(
      await within(detail).findByTestId('operation-state'),
    ).toHaveTextContent('succeeded');
    expect(detail).toHaveTextContent('(40 s)');
    expect(within(detail).queryByRole('button', { name: 'Resume' })).toBeNull();
    expect(within(detail).queryByRole('button', { name: 'Revert' })).toBeNull();
  });
});
