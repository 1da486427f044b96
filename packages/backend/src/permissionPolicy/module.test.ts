import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { meshOperationExecutePermissions } from '@meshstage/plugin-mesh-common';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { meshExamplePermissionPolicyModule } from './module';

// The module as a backend installs it: the permission backend takes the policy from it, with the
// platform group from meshstage.permissionPolicy.platformGroup.

/** Users' ownership refs as a sign-in would give them: bob is in group:default/ops. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [
          ref,
          ...(ref === 'user:default/bob' ? ['group:default/ops'] : []),
        ],
      };
    },
  }),
});

async function installAs(user: string, config: object) {
  const backend = await startTestBackend({
    features: [
      permissionPlugin,
      meshExamplePermissionPolicyModule,
      userInfo,
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true }, ...config },
      }),
    ],
  });
  try {
    const res = await request(backend.server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(user))
      .send({
        items: [
          { id: '1', permission: meshOperationExecutePermissions.install },
        ],
      });
    expect(res.status).toBe(200);
    return res.body.items[0].result;
  } finally {
    await backend.stop();
  }
}

describe('meshExamplePermissionPolicyModule', () => {
  it('takes the platform group from meshstage.permissionPolicy.platformGroup', async () => {
    const config = {
      meshstage: { permissionPolicy: { platformGroup: 'group:default/ops' } },
    };
    expect(await installAs('user:default/bob', config)).toBe('ALLOW');
    expect(await installAs('user:default/alice', config)).toBe('DENY');
  });

  it('defaults to group:default/platform', async () => {
    expect(await installAs('user:default/bob', {})).toBe('DENY');
  });
});
