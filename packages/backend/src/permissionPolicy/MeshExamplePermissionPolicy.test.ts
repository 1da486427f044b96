import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  meshOperationExecutePermissions,
  meshPermissions,
  meshScopedPermissions,
  meshStatusReadPermission,
  meshValidationScanPermission,
} from '@meshstage/plugin-mesh-common';
import { MeshExamplePermissionPolicy } from './MeshExamplePermissionPolicy';

const user = (ref: string, groups: string[]): PolicyQueryUser =>
  ({
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  } as unknown as PolicyQueryUser);

const alice = user('user:default/alice', ['group:default/team-a']);
const bob = user('user:default/bob', ['group:default/Platform']);

const policy = new MeshExamplePermissionPolicy({
  platformGroup: 'group:default/platform',
});
const decide = (
  permission: (typeof meshPermissions)[number],
  who?: PolicyQueryUser,
) => policy.handle({ permission }, who);

describe('MeshExamplePermissionPolicy', () => {
  it('allows the platform group every mesh permission (group refs compare case-insensitively)', async () => {
    for (const permission of meshPermissions) {
      expect([permission.name, (await decide(permission, bob)).result]).toEqual(
        [permission.name, AuthorizeResult.ALLOW],
      );
    }
  });

  it('lets every signed-in user read, and nobody without a user', async () => {
    expect((await decide(meshStatusReadPermission, alice)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await decide(meshStatusReadPermission)).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it("gives others the entity-scoped permissions on the entities they own, through the catalog's isEntityOwner", async () => {
    for (const { entity } of Object.values(meshScopedPermissions)) {
      expect(await decide(entity, alice)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/alice', 'group:default/team-a'],
          },
        },
      });
    }
  });

  it('denies them every other mesh action', async () => {
    for (const permission of [
      ...Object.values(meshOperationExecutePermissions),
      meshValidationScanPermission,
      meshScopedPermissions.benchmarkRun.platform,
      meshScopedPermissions.benchmarkProfileWrite.platform,
    ]) {
      expect([
        permission.name,
        (await decide(permission, alice)).result,
      ]).toEqual([permission.name, AuthorizeResult.DENY]);
    }
  });

  it("leaves other plugins' permissions to the policy given for them, allowing them by default", async () => {
    const catalogDelete = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
    });
    expect(
      (await policy.handle({ permission: catalogDelete }, alice)).result,
    ).toBe(AuthorizeResult.ALLOW);
    const strict = new MeshExamplePermissionPolicy({
      platformGroup: 'group:default/platform',
      otherPermissions: {
        handle: async () => ({ result: AuthorizeResult.DENY }),
      },
    });
    expect(
      (await strict.handle({ permission: catalogDelete }, alice)).result,
    ).toBe(AuthorizeResult.DENY);
  });
});
