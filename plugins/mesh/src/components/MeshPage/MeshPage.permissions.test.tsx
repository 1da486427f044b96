import { screen, waitFor, within } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { adapters, fakeApi, renderPage } from './__testUtils__/fleetFixtures';

// Its own file: usePermission caches each permission's answer for the whole file, so a DENY here
// could meet the ALLOW the other tests' renders cached (it failed that way in a fresh-clone run).
describe('MeshPageContent permissions', () => {
  it('disables actions the user may not execute, with the reason', async () => {
    await renderPage(fakeApi(), AuthorizeResult.DENY);
    const linkerd = await screen.findByTestId('fleet-cell-dev-linkerd');
    const install = within(linkerd).getByRole('button', { name: 'Install' });
    await waitFor(() => expect(install).toBeDisabled());
    expect(install).toHaveAccessibleDescription(
      'You do not have permission to install meshes (mesh.operation.install).',
    );
  });

  it.each([
    ['Upgrade', 'upgrade meshes (mesh.operation.upgrade)'],
    [
      'Onboard namespace',
      'onboard namespaces to a mesh (mesh.operation.onboard)',
    ],
    [
      'Deploy sample',
      'deploy sample applications (mesh.operation.deploy-sample)',
    ],
  ])('disables %s with the reason', async (button, what) => {
    const api = fakeApi({
      getAdapters: jest.fn(async () =>
        adapters.map(a => ({
          ...a,
          sampleApps: [
            {
              id: 'echo',
              displayName: 'Echo',
              description: '',
              defaultNamespace: 'echo',
            },
          ],
        })),
      ),
    });
    await renderPage(api, AuthorizeResult.DENY);
    const istio = await screen.findByTestId('fleet-cell-dev-istio');
    const action = await within(istio).findByRole('button', { name: button });
    await waitFor(() => expect(action).toBeDisabled());
    expect(action).toHaveAccessibleDescription(
      `You do not have permission to ${what}.`,
    );
  });
});
