import { createPermission } from '@backstage/plugin-permission-common';
import {
  combineScopedAnswers,
  describePermission,
} from './useActionPermission';

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

describe('combineScopedAnswers', () => {
  const allowed = { loading: false, allowed: true };
  const denied = { loading: false, allowed: false };
  const loading = { loading: true, allowed: false };

  it('allows when either the platform or the entity permission allows, even while the other loads', () => {
    expect(combineScopedAnswers(allowed, denied)).toEqual(allowed);
    expect(combineScopedAnswers(denied, allowed)).toEqual(allowed);
    expect(combineScopedAnswers(loading, allowed)).toEqual(allowed);
  });

  it('waits while neither allows and one is loading, and denies when both deny', () => {
    expect(combineScopedAnswers(denied, loading)).toEqual(loading);
    expect(combineScopedAnswers(denied, denied)).toEqual(denied);
    const error = new Error('503');
    expect(combineScopedAnswers(denied, { ...denied, error })).toEqual({
      ...denied,
      error,
    });
  });
});
