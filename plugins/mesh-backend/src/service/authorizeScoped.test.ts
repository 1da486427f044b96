import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import { meshScopedPermissions } from '@meshstage/plugin-mesh-common';
import type express from 'express';
import { createAuthorizeScoped } from './authorizeScoped';

const { onboard } = meshScopedPermissions;

/**
 * A permission service answering as a policy would: the platform permission's decision, the
 * entity permission's decision without a resource (possibly conditional), and the entities on
 * which a conditional one resolves to ALLOW. Records what it was asked.
 */
function policy(options: {
  platform: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  entity: PolicyDecision['result'];
  owned?: string[];
}) {
  const asked: string[] = [];
  const service: PermissionsService = {
    async authorize(requests) {
      return requests.map(r => {
        const ref = 'resourceRef' in r ? r.resourceRef : undefined;
        asked.push(ref ? `${r.permission.name} on ${ref}` : r.permission.name);
        if (r.permission.type === 'basic') return { result: options.platform };
        if (options.entity !== AuthorizeResult.CONDITIONAL) {
          return { result: options.entity };
        }
        return {
          result: options.owned?.includes(ref as string)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        };
      });
    },
    async authorizeConditional(queries) {
      return queries.map(q => {
        asked.push(`${q.permission.name} (conditional)`);
        return options.entity === AuthorizeResult.CONDITIONAL
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: ['user:default/alice'] },
              },
            }
          : { result: options.entity as AuthorizeResult.ALLOW };
      });
    },
  };
  return { service, asked };
}

const request = (authorization?: string) =>
  ({
    headers: authorization ? { authorization } : {},
  } as unknown as express.Request);

const alice = request(mockCredentials.user.header('user:default/alice'));

function authorizer(p: ReturnType<typeof policy>) {
  return createAuthorizeScoped(
    mockServices.httpAuth({ defaultCredentials: mockCredentials.none() }),
    p.service,
  );
}

describe('createAuthorizeScoped', () => {
  it('refuses a request without credentials before asking the policy', async () => {
    const p = policy({
      platform: AuthorizeResult.ALLOW,
      entity: AuthorizeResult.ALLOW,
    });
    await expect(authorizer(p)(request(), onboard)).rejects.toMatchObject({
      name: 'AuthenticationError',
    });
    expect(p.asked).toEqual([]);
  });

  it('takes the credentials of a caller the route authenticated already, without reading the request again', async () => {
    const p = policy({
      platform: AuthorizeResult.ALLOW,
      entity: AuthorizeResult.DENY,
    });
    const credentials = mockCredentials.user('user:default/alice');
    // The request carries no token: read again, it would be a 401.
    const access = await authorizer(p)(request(), onboard, credentials);
    expect(access.credentials).toBe(credentials);
    expect(p.asked).toEqual([
      'mesh.operation.onboard',
      'mesh.entity.onboard (conditional)',
    ]);
  });

  it('lets the platform permission allow any request, with or without entities', async () => {
    const p = policy({
      platform: AuthorizeResult.ALLOW,
      entity: AuthorizeResult.DENY,
    });
    const access = await authorizer(p)(alice, onboard);
    expect(access.platform).toBe(true);
    await access.forEntities([]);
    await access.forEntities(['component:default/b']);
    // No per-entity question once the platform permission allowed it.
    expect(p.asked).toEqual([
      'mesh.operation.onboard',
      'mesh.entity.onboard (conditional)',
    ]);
  });

  it('refuses at once, before the input is read, when neither permission can allow it', async () => {
    const p = policy({
      platform: AuthorizeResult.DENY,
      entity: AuthorizeResult.DENY,
    });
    await expect(authorizer(p)(alice, onboard)).rejects.toThrow(
      'Not allowed (permission mesh.operation.onboard, or mesh.entity.onboard on the entities the request concerns)',
    );
  });

  it('resolves a conditional entity permission on every entity the request concerns', async () => {
    const p = policy({
      platform: AuthorizeResult.DENY,
      entity: AuthorizeResult.CONDITIONAL,
      owned: ['component:default/a', 'component:default/a2'],
    });
    const access = await authorizer(p)(alice, onboard);
    expect(access.platform).toBe(false);
    await access.forEntities([
      'component:default/a2',
      undefined,
      'component:default/a',
      'component:default/a',
    ]);
    expect(p.asked.slice(2)).toEqual([
      'mesh.entity.onboard on component:default/a',
      'mesh.entity.onboard on component:default/a2',
    ]);
    // One entity not owned is enough to refuse, and the message names it.
    await expect(
      access.forEntities(['component:default/a', 'component:default/b']),
    ).rejects.toThrow(
      'Not allowed (permission mesh.operation.onboard, or mesh.entity.onboard on component:default/b)',
    );
  });

  it('needs the platform permission for a request that concerns no entity', async () => {
    const p = policy({
      platform: AuthorizeResult.DENY,
      entity: AuthorizeResult.ALLOW,
    });
    const access = await authorizer(p)(alice, onboard);
    await expect(access.forEntities([undefined])).rejects.toThrow(
      /concerns no catalog entity, so mesh.entity.onboard cannot allow it/,
    );
    // Allowed on every entity without condition: no per-entity question.
    await access.forEntities(['component:default/b']);
    expect(p.asked).toHaveLength(2);
  });
});
