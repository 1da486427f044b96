import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { forbidden } from '../../__testUtils__/responseErrors';
import {
  failedOnboardApi,
  failedOnboardOperation,
  interruptedApi,
  interruptedOperation,
  renderPage,
} from './__testUtils__/fleetFixtures';

const ID = interruptedOperation.id;

// Its own file: usePermission caches each permission's answer for the whole file.
describe('MeshPageContent interrupted operations, permission denied', () => {
  it.each([
    ['Revert', 'revert operations (mesh.operation.revert)'],
    ['Resume', 'resume operations (mesh.operation.resume)'],
  ])('shows the %s plan but not Confirm', async (verb, what) => {
    const api = interruptedApi();
    await renderPage(api, AuthorizeResult.DENY, '/?tab=operations');
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Upgrade Istio on dev to 1.30.3 (canary)',
      }),
    );
    const detail = await screen.findByRole('dialog', {
      name: `Operation ${ID}`,
    });
    fireEvent.click(await within(detail).findByRole('button', { name: verb }));
    const dialog = await screen.findByRole('dialog', {
      name: `${verb} operation ${ID}`,
    });
    expect(await within(dialog).findByTestId('plan-preview')).toBeTruthy();
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    await waitFor(() =>
      expect(confirm).toHaveAccessibleDescription(
        `You do not have permission to ${what}.`,
      ),
    );
    expect(confirm).toBeDisabled();
    expect(api.revertOperation).not.toHaveBeenCalled();
    expect(api.resumeOperation).not.toHaveBeenCalled();
  });

  // Owners of the entities living in the namespace may resume or revert an onboard or offboard
  // too; the page cannot tell whether the user is one of them (the backend reads the namespace's
  // pods and the catalog for that), so it lets the backend decide.
  const openOnboard = async (
    api: ReturnType<typeof failedOnboardApi>,
    verb: string,
  ) => {
    await renderPage(api, AuthorizeResult.DENY, '/?tab=operations');
    fireEvent.click(
      await screen.findByRole('button', {
        name: failedOnboardOperation.summary,
      }),
    );
    const detail = await screen.findByRole('dialog', {
      name: `Operation ${failedOnboardOperation.id}`,
    });
    fireEvent.click(await within(detail).findByRole('button', { name: verb }));
    const dialog = await screen.findByRole('dialog', {
      name: `${verb} operation ${failedOnboardOperation.id}`,
    });
    expect(await within(dialog).findByTestId('plan-preview')).toBeTruthy();
    return dialog;
  };

  it('enables Confirm of a failed onboard’s resume without mesh.operation.resume, saying the backend decides', async () => {
    const api = failedOnboardApi();
    const dialog = await openOnboard(api, 'Resume');
    expect(dialog).toHaveTextContent(
      'Without mesh.operation.resume, whoever may onboard namespace bookinfo on dev (mesh.entity.onboard on every entity living in it) may resume this onboard: the backend decides when you confirm.',
    );
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);
    await within(dialog).findByTestId('operation-log');
    expect(api.resumeOperation).toHaveBeenCalledWith(failedOnboardOperation.id);
  });

  it('shows the backend’s 403 message when it refuses a failed onboard’s revert', async () => {
    const message =
      'Not allowed (permission mesh.operation.revert, or mesh.entity.onboard on component:default/ratings)';
    const api = failedOnboardApi({
      revertOperation: jest.fn(async () => {
        throw await forbidden(
          message,
          `/api/mesh/operations/${failedOnboardOperation.id}/revert`,
        );
      }),
    });
    const dialog = await openOnboard(api, 'Revert');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    const alert = await within(dialog).findByRole('alert');
    expect(
      within(alert).getByText(
        `Error: The operation was not started: ${message}`,
      ),
    ).toBeVisible();
    expect(api.revertOperation).toHaveBeenCalledWith(failedOnboardOperation.id);
    expect(within(dialog).queryByTestId('operation-log')).toBeNull();
  });
});
