import { createPermission } from '@backstage/plugin-permission-common';
import { describePermission } from './useActionPermission';

const permission = createPermission({
  name: 'mesh.operation.install',
  attributes: { action: 'create' },
});

describe('describePermission', () => {
  it('is disabled with a reason while the answer loads', () => {
    expect(
      describePermission(
        { loading: true, allowed: false },
        permission,
        'install meshes',
      ),
    ).toEqual({
      loading: true,
      allowed: false,
      reason: 'Checking your permission…',
    });
  });

  it('allows without a reason', () => {
    expect(
      describePermission(
        { loading: false, allowed: true },
        permission,
        'install meshes',
      ),
    ).toEqual({ loading: false, allowed: true });
  });

  it('names the permission when denied, and the failure when the check failed', () => {
    expect(
      describePermission(
        { loading: false, allowed: false },
        permission,
        'install meshes',
      ).reason,
    ).toBe(
      'You do not have permission to install meshes (mesh.operation.install).',
    );
    expect(
      describePermission(
        {
          loading: false,
          allowed: false,
          error: new Error('503 from permission backend'),
        },
        permission,
        'install meshes',
      ).reason,
    ).toBe(
      'Could not check your permission to install meshes: 503 from permission backend',
    );
  });
});
