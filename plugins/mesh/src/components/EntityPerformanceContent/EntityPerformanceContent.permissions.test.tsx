import { screen, waitFor } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { api, render } from './__testUtils__/performanceFixtures';

// Its own file: usePermission caches each permission's answer for the whole file (SWR), so a DENY
// here could otherwise meet the ALLOW that another test's render cached.
describe('EntityPerformanceContent permissions', () => {
  it('disables Run and New profile with the reason when permission is denied', async () => {
    await render(api(), AuthorizeResult.DENY);
    // The buttons are replaced once the permission resolves: query them again each time.
    const runButton = () =>
      screen.getByRole('button', { name: 'Run echo in-cluster' });
    await screen.findByRole('button', { name: 'Run echo in-cluster' });
    await waitFor(() =>
      expect(runButton()).toHaveAccessibleDescription(
        'You do not have permission to start benchmark runs (mesh.benchmark.run, or mesh.entity.benchmark.run on component:default/echo).',
      ),
    );
    expect(runButton()).toBeDisabled();
    expect(screen.getByRole('button', { name: 'New profile' })).toBeDisabled();
    expect(
      screen.getAllByText(
        'You do not have permission to start benchmark runs (mesh.benchmark.run, or mesh.entity.benchmark.run on component:default/echo).',
      ).length,
    ).toBeGreaterThan(0);
  });
});
