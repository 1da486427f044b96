import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  type AuthorizePermissionRequest,
  AuthorizeResult,
  type QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  meshOperationExecutePermissions,
  meshStatusReadPermission,
} from '@meshstage/plugin-mesh-common';
import { ReadPermissionCache } from './ReadPermissionCache';

type Policy = (
  request: { permission: string; resourceRef?: string },
  credentials: BackstageCredentials,
) => AuthorizeResult;

/**
 * A permission service answering from `policy`, counting round trips (each authorize or
 * authorizeConditional call is one HTTP request to the permission backend in a real backend).
 */
function permissionBackend(policy: Policy) {
  const calls: string[] = [];
  let failNext = false;
  const service: PermissionsService = {
    async authorize(requests: AuthorizePermissionRequest[], { credentials }) {
      calls.push(
        `authorize ${requests
          .map(
            r =>
              r.permission.name +
              ('resourceRef' in r && r.resourceRef ? `@${r.resourceRef}` : ''),
          )
          .join(',')}`,
      );
      if (failNext) {
        failNext = false;
        throw new Error('permission backend unavailable');
      }
      return requests.map(r => {
        const result = policy(
          {
            permission: r.permission.name,
            resourceRef: 'resourceRef' in r ? r.resourceRef : undefined,
          },
          credentials,
        );
        // authorize resolves conditions per resource: it never answers CONDITIONAL.
        return {
          result:
            result === AuthorizeResult.CONDITIONAL
              ? AuthorizeResult.DENY
              : result,
        };
      }) as any;
    },
    async authorizeConditional(
      requests: QueryPermissionRequest[],
      { credentials },
    ) {
      calls.push(
        `conditional ${requests.map(r => r.permission.name).join(',')}`,
      );
      return requests.map(r => {
        const result = policy({ permission: r.permission.name }, credentials);
        return result === AuthorizeResult.CONDITIONAL
          ? {
              result,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: { rule: 'IS_ENTITY_OWNER', params: {} },
            }
          : { result };
      }) as any;
    },
  };
  return {
    service,
    calls,
    failNext: () => {
      failNext = true;
    },
  };
}

const alice = (expiresAt = 1_000_000) => ({
  ...mockCredentials.user('user:default/alice'),
  expiresAt: new Date(expiresAt),
});
const bob = {
  ...mockCredentials.user('user:default/bob'),
  expiresAt: new Date(1_000_000),
};
const install = meshOperationExecutePermissions.install;

describe('ReadPermissionCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 0;
  });

  it('asks once per caller for a read permission within the ttl, and again after it', async () => {
    const backend = permissionBackend(() => AuthorizeResult.ALLOW);
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    for (let i = 0; i < 5; i++) {
      const [decision] = await cache.authorize(
        [{ permission: meshStatusReadPermission }],
        { credentials: alice() },
      );
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
    }
    expect(backend.calls).toEqual(['authorize mesh.status.read']);
    clock = 10_000;
    await cache.authorize([{ permission: meshStatusReadPermission }], {
      credentials: alice(),
    });
    expect(backend.calls).toHaveLength(2);
  });

  it('never reuses a decision on a permission that is not a read', async () => {
    let allowed = true;
    const backend = permissionBackend(() =>
      allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
    );
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    const ask = () =>
      cache.authorize([{ permission: install }], { credentials: alice() });
    expect((await ask())[0].result).toBe(AuthorizeResult.ALLOW);
    allowed = false;
    // The policy changed: a lifecycle action sees it at once.
    expect((await ask())[0].result).toBe(AuthorizeResult.DENY);
    expect(backend.calls).toEqual([
      'authorize mesh.operation.install',
      'authorize mesh.operation.install',
    ]);
  });

  it('keeps decisions apart per user and per token', async () => {
    const backend = permissionBackend((_r, credentials) =>
      (credentials.principal as { userEntityRef: string }).userEntityRef ===
      'user:default/alice'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    );
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    const read = async (credentials: BackstageCredentials) =>
      (
        await cache.authorize([{ permission: meshStatusReadPermission }], {
          credentials,
        })
      )[0].result;
    expect(await read(alice())).toBe(AuthorizeResult.ALLOW);
    expect(await read(bob)).toBe(AuthorizeResult.DENY);
    expect(await read(alice())).toBe(AuthorizeResult.ALLOW);
    // A refreshed token (new claims, new expiry) is asked about again.
    expect(await read(alice(2_000_000))).toBe(AuthorizeResult.ALLOW);
    expect(backend.calls).toHaveLength(3);
    // Credentials without an expiry (nothing to tell tokens apart by) are never remembered.
    const { expiresAt: _, ...noExpiry } = alice();
    await read(noExpiry as BackstageCredentials);
    await read(noExpiry as BackstageCredentials);
    expect(backend.calls).toHaveLength(5);
  });

  it("decides an entity read for the caller as a whole when the policy's answer does not depend on the entity", async () => {
    const backend = permissionBackend(() => AuthorizeResult.ALLOW);
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    for (const name of ['a', 'b', 'c']) {
      const decisions = await cache.authorize(
        [
          { permission: meshStatusReadPermission },
          {
            permission: catalogEntityReadPermission,
            resourceRef: `component:default/${name}`,
          },
        ],
        { credentials: alice() },
      );
      expect(decisions.map(d => d.result)).toEqual([
        AuthorizeResult.ALLOW,
        AuthorizeResult.ALLOW,
      ]);
    }
    expect(backend.calls.sort()).toEqual([
      'authorize mesh.status.read',
      'conditional catalog.entity.read',
    ]);
  });

  it('resolves a conditional entity read per entity, through the permission backend', async () => {
    // Alice may read only what she owns: component:default/mine.
    const backend = permissionBackend(request => {
      if (request.permission !== 'catalog.entity.read') {
        return AuthorizeResult.ALLOW;
      }
      if (request.resourceRef === undefined) return AuthorizeResult.CONDITIONAL;
      return request.resourceRef === 'component:default/mine'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    });
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    const read = async (name: string) =>
      (
        await cache.authorize(
          [
            {
              permission: catalogEntityReadPermission,
              resourceRef: `component:default/${name}`,
            },
          ],
          { credentials: alice() },
        )
      )[0].result;
    expect(await read('mine')).toBe(AuthorizeResult.ALLOW);
    expect(await read('theirs')).toBe(AuthorizeResult.DENY);
    expect(await read('mine')).toBe(AuthorizeResult.ALLOW);
    expect(await read('theirs')).toBe(AuthorizeResult.DENY);
    expect(backend.calls).toEqual([
      'conditional catalog.entity.read',
      'authorize catalog.entity.read@component:default/mine',
      'authorize catalog.entity.read@component:default/theirs',
    ]);
  });

  it('asks once for callers arriving together, and sends what it does not keep in one request', async () => {
    const backend = permissionBackend(() => AuthorizeResult.ALLOW);
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        cache.authorize([{ permission: meshStatusReadPermission }], {
          credentials: alice(),
        }),
      ),
    );
    expect(backend.calls).toEqual(['authorize mesh.status.read']);
    const decisions = await cache.authorize(
      [
        { permission: install },
        { permission: meshStatusReadPermission },
        { permission: meshOperationExecutePermissions.uninstall },
      ],
      { credentials: alice() },
    );
    expect(decisions).toHaveLength(3);
    expect(backend.calls.slice(1)).toEqual([
      'authorize mesh.operation.install,mesh.operation.uninstall',
    ]);
  });

  it('does not remember a failure', async () => {
    const backend = permissionBackend(() => AuthorizeResult.ALLOW);
    const cache = new ReadPermissionCache(backend.service, {
      ttlMs: 10_000,
      now,
    });
    backend.failNext();
    await expect(
      cache.authorize([{ permission: meshStatusReadPermission }], {
        credentials: alice(),
      }),
    ).rejects.toThrow('permission backend unavailable');
    const [decision] = await cache.authorize(
      [{ permission: meshStatusReadPermission }],
      { credentials: alice() },
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
    expect(backend.calls).toHaveLength(2);
  });
});
