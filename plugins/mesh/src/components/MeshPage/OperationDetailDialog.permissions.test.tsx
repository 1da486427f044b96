import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
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
});
