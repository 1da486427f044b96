import { screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  driftedReport,
  fakeApi,
  renderPage,
} from './__testUtils__/fleetFixtures';

// Its own file: usePermission caches each permission's answer for the whole file.
describe('MeshPageContent drift permissions', () => {
  it('disables Reconcile with the reason when reconcile is denied, and still checks', async () => {
    await renderPage(
      fakeApi({ getDriftReports: jest.fn(async () => [driftedReport]) } as any),
      AuthorizeResult.DENY,
      '/?tab=drift',
    );
    const section = await screen.findByRole('region', {
      name: 'Drift of istio on dev',
    });
    const reconcile = within(section).getByRole('button', {
      name: 'Reconcile',
    });
    await waitFor(() =>
      expect(reconcile).toHaveAccessibleDescription(
        'You do not have permission to reconcile drift (mesh.operation.reconcile).',
      ),
    );
    expect(reconcile).toBeDisabled();
    expect(
      within(section).getByRole('button', { name: 'Check now' }),
    ).toBeEnabled();
  });
});
