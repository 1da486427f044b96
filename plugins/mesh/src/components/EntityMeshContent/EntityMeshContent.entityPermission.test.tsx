import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { forbidden } from '../../__testUtils__/responseErrors';
import {
  FAILED_ID,
  failedOnboard,
  fakeBackend,
  render,
  slow,
} from './__testUtils__/operationsFixtures';

// A policy granting the owner of component:default/reviews onboarding only, as the example
// policy's isEntityOwner condition would, and no platform-wide permission.
const ownerMayOnboard = (asked: string[] = []) => ({
  authorize: (request: EvaluatePermissionRequest) => {
    const ref = request.resourceRef;
    asked.push(
      ref ? `${request.permission.name} ${ref}` : request.permission.name,
    );
    return request.permission.name === 'mesh.entity.onboard' &&
      ref === 'component:default/reviews'
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  },
});

// Its own file: usePermission caches each permission's answer for the whole file.
describe('EntityMeshContent with entity-scoped permissions', () => {
  it('enables Onboard for an owner whom only mesh.entity.onboard on this entity allows, and not Offboard', async () => {
    const asked: string[] = [];
    await render(fakeBackend().api, ownerMayOnboard(asked));
    const onboard = await screen.findByRole(
      'button',
      { name: 'Onboard' },
      slow,
    );
    await waitFor(() => expect(onboard).toBeEnabled(), slow);
    await waitFor(
      () =>
        expect(screen.getByRole('button', { name: 'Offboard' })).toBeDisabled(),
      slow,
    );
    // Resume and revert (of the failed operations further down) ask the platform permission
    // and the entity one of the operation's action, as the backend decides them.
    expect(asked).toEqual(
      expect.arrayContaining([
        'mesh.operation.onboard',
        'mesh.entity.onboard component:default/reviews',
        'mesh.entity.offboard component:default/reviews',
        'mesh.operation.resume',
        'mesh.operation.revert',
      ]),
    );
  });

  it('lets that owner resume their failed onboard without mesh.operation.resume: plan preview, then resume', async () => {
    const backend = fakeBackend({ operations: [failedOnboard()] });
    await render(backend.api, ownerMayOnboard());
    const resume = await screen.findByRole('button', { name: 'Resume' }, slow);
    const revert = screen.getByRole('button', { name: 'Revert' });
    await waitFor(() => expect(resume).toBeEnabled(), slow);
    await waitFor(() => expect(revert).toBeEnabled(), slow);

    fireEvent.click(resume);
    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Resume: Onboard namespace bookinfo to Istio on dev' },
      slow,
    );
    const plan = await within(dialog).findByTestId('plan-preview', {}, slow);
    expect(plan).toHaveTextContent('Restart Deployment/bookinfo/reviews-v1');
    expect(backend.fns.previewResumeOperation).toHaveBeenCalledWith(FAILED_ID);
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    await waitFor(() => expect(confirm).toBeEnabled(), slow);
    await act(async () => {
      fireEvent.click(confirm);
    });
    expect(backend.fns.resumeOperation).toHaveBeenCalledWith(FAILED_ID);
    expect(
      await within(dialog).findByTestId('operation-log', {}, slow),
    ).toBeInTheDocument();
  });

  it('keeps Resume of a failed offboard disabled for that owner, who may not offboard', async () => {
    const backend = fakeBackend({
      operations: [
        failedOnboard({
          action: 'offboard',
          request: {
            action: 'offboard',
            cluster: 'dev',
            mesh: 'istio',
            namespace: 'bookinfo',
          },
          summary: 'Offboard namespace bookinfo from Istio on dev',
        }),
      ],
    });
    await render(backend.api, ownerMayOnboard());
    const resume = await screen.findByRole('button', { name: 'Resume' }, slow);
    await waitFor(
      () =>
        expect(resume).toHaveAccessibleDescription(
          'You do not have permission to resume offboard operations (mesh.operation.resume, or mesh.entity.offboard on component:default/reviews).',
        ),
      slow,
    );
    expect(resume).toBeDisabled();
  });

  it('shows the backend’s 403 message when it refuses the owner (another entity lives in the namespace)', async () => {
    const message =
      'Not allowed (permission mesh.operation.revert, or mesh.entity.onboard on component:default/ratings)';
    const backend = fakeBackend({
      operations: [failedOnboard()],
      revertOperation: async id => {
        throw await forbidden(message, `/api/mesh/operations/${id}/revert`);
      },
    });
    await render(backend.api, ownerMayOnboard());
    const revert = await screen.findByRole('button', { name: 'Revert' }, slow);
    await waitFor(() => expect(revert).toBeEnabled(), slow);
    fireEvent.click(revert);
    const dialog = await screen.findByRole(
      'dialog',
      { name: 'Revert: Onboard namespace bookinfo to Istio on dev' },
      slow,
    );
    await within(dialog).findByTestId('plan-preview', {}, slow);
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    });
    // The server's reason is in view (the panel's title), not only in its collapsed details.
    const alert = await within(dialog).findByRole('alert', {}, slow);
    expect(
      within(alert).getByText(
        `Error: The operation was not started: ${message}`,
      ),
    ).toBeVisible();
    expect(backend.fns.revertOperation).toHaveBeenCalledWith(FAILED_ID);
    expect(within(dialog).queryByTestId('operation-log')).toBeNull();
  });
});
