import { screen, waitFor } from '@testing-library/react';
import { fakeBackend, render, slow } from './__testUtils__/operationsFixtures';

// Its own file: usePermission caches each permission's answer for the whole file, so a DENY here
// would otherwise meet the ALLOW that the other tests' renders cached.
describe('EntityMeshContent permissions', () => {
  it('disables the actions the user may not run, saying why', async () => {
    const backend = fakeBackend();
    await render(backend.api, { deny: true });
    const onboard = await screen.findByRole(
      'button',
      { name: 'Onboard' },
      slow,
    );
    // usePermission caches answers per permission for the whole file (SWR): an earlier test's
    // ALLOW may show first until the DENY of this test's permission API replaces it.
    await waitFor(() => expect(onboard).toBeDisabled(), slow);
    await waitFor(
      () =>
        expect(screen.getByRole('button', { name: 'Offboard' })).toBeDisabled(),
      slow,
    );
    expect(
      await screen.findByText(
        /You do not have permission to onboard namespaces to a mesh \(mesh\.operation\.onboard, or mesh\.entity\.onboard on component:default\/reviews\)\./,
        {},
        slow,
      ),
    ).toBeInTheDocument();
    expect(onboard).toHaveAccessibleDescription(/mesh\.operation\.onboard/);
  });
});
