import { screen, waitFor } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fakeBackend, render, slow } from './__testUtils__/operationsFixtures';

// Its own file: usePermission caches each permission's answer for the whole file.
describe('EntityMeshContent with entity-scoped permissions', () => {
  it('enables Onboard for an owner whom only mesh.entity.onboard on this entity allows, and not Offboard', async () => {
    const asked: string[] = [];
    await render(fakeBackend().api, {
      // A policy granting the owner of component:default/reviews onboarding only, as the example
      // policy's isEntityOwner condition would, and no platform-wide permission.
      authorize: request => {
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
    expect(asked).toEqual(
      expect.arrayContaining([
        'mesh.operation.onboard',
        'mesh.entity.onboard component:default/reviews',
        'mesh.entity.offboard component:default/reviews',
      ]),
    );
  });
});
