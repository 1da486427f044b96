import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  failedOnboard,
  fakeBackend,
  render,
  slow,
} from './__testUtils__/operationsFixtures';

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

  it('disables Resume and Revert of the namespace’s failed onboard, with the reason in a tooltip', async () => {
    const backend = fakeBackend({ operations: [failedOnboard()] });
    await render(backend.api, { deny: true });
    const resume = await screen.findByRole('button', { name: 'Resume' }, slow);
    const revert = screen.getByRole('button', { name: 'Revert' });
    const resumeReason =
      'You do not have permission to resume onboard operations (mesh.operation.resume, or mesh.entity.onboard on component:default/reviews).';
    await waitFor(
      () => expect(resume).toHaveAccessibleDescription(resumeReason),
      slow,
    );
    expect(resume).toBeDisabled();
    expect(revert).toBeDisabled();
    expect(revert).toHaveAccessibleDescription(
      'You do not have permission to revert onboard operations (mesh.operation.revert, or mesh.entity.onboard on component:default/reviews).',
    );
    // A disabled button gets no pointer events: the tooltip is on its wrapper.
    fireEvent.mouseOver(resume.parentElement!);
    expect(await screen.findByRole('tooltip', {}, slow)).toHaveTextContent(
      resumeReason,
    );
    expect(backend.fns.previewResumeOperation).not.toHaveBeenCalled();
  });
});
