import type { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
} from '@backstage/plugin-permission-common';
import { meshStatusReadPermission } from '@meshstage/plugin-mesh-common';
import type express from 'express';
import { EntityLookup } from './EntityLookup';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

/** A policy: Alice reads everything but `secret-app`; Bob holds no mesh permission. */
const permissions: PermissionsService = {
  authorize: async (requests, { credentials }) => {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => {
      const request = r as AuthorizePermissionRequest;
      if (request.permission.name === meshStatusReadPermission.name) {
        return {
          result:
            user === 'user:default/bob'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        };
      }
      return {
        result:
          request.permission.name === 'catalog.entity.read' &&
          request.resourceRef === 'component:default/secret-app'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      };
    });
  },
  authorizeConditional: async () => {
    throw new Error('not used');
  },
};

const requestAs = (user: string) =>
  ({
    headers: { authorization: mockCredentials.user.header(user) },
  } as unknown as express.Request);

function setup(entities: Entity[]) {
  const catalog = catalogServiceMock({ entities });
  const fetches = jest.spyOn(catalog, 'getEntitiesByRefs');
  const lookup = new EntityLookup(
    {
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog,
      auth: mockServices.auth(),
    },
    { ttlMs: 60_000 },
  );
  return { lookup, fetches };
}

const ref = (name: string) => ({
  kind: 'Component',
  namespace: 'default',
  name,
});

/**
 * A lookup whose entries are stale at once (ttl 0), over a catalog answering each fetch of
 * productpage with `fetched()`; `read()` is Alice's read of productpage.
 */
function staleLookup(fetched: () => Entity) {
  const catalog = catalogServiceMock({ entities: [component('productpage')] });
  const fetches = jest
    .spyOn(catalog, 'getEntitiesByRefs')
    .mockImplementation(async ({ entityRefs }) => ({
      items: entityRefs.map(fetched),
    }));
  const lookup = new EntityLookup(
    {
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog,
      auth: mockServices.auth(),
    },
    { ttlMs: 0 },
  );
  const read = async () =>
    (
      await lookup.authorizedEntity(
        requestAs('user:default/alice'),
        meshStatusReadPermission,
        ref('productpage'),
      )
    ).entity;
  return { read, fetches };
}

describe('EntityLookup', () => {
  it('hands out the entity and the caller, fetching it once for many requests', async () => {
    const { lookup, fetches } = setup([component('productpage')]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        lookup.authorizedEntity(
          requestAs('user:default/alice'),
          meshStatusReadPermission,
          ref('productpage'),
        ),
      ),
    );
    expect(results[19].entity.metadata.name).toBe('productpage');
    expect(results[19].credentials.principal).toMatchObject({
      userEntityRef: 'user:default/alice',
    });
    expect(fetches).toHaveBeenCalledTimes(1);
  });

  it('answers 404 for an entity the catalog lacks or the caller may not read, and 403 without the permission', async () => {
    const { lookup } = setup([
      component('productpage'),
      component('secret-app'),
    ]);
    await expect(
      lookup.authorizedEntity(
        requestAs('user:default/alice'),
        meshStatusReadPermission,
        ref('nope'),
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/nope in the catalog',
    });
    // Hidden from Alice by the catalog permission: exactly as absent.
    await expect(
      lookup.authorizedEntity(
        requestAs('user:default/alice'),
        meshStatusReadPermission,
        ref('secret-app'),
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/secret-app in the catalog',
    });
    await expect(
      lookup.authorizedEntity(
        requestAs('user:default/bob'),
        meshStatusReadPermission,
        ref('productpage'),
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed (permission mesh.status.read)',
    });
    await expect(
      lookup.authorizedEntity(
        { headers: {} } as express.Request,
        meshStatusReadPermission,
        ref('productpage'),
      ),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('asks the catalog for the entities requested together in one request', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `app-${i}`);
    const { lookup, fetches } = setup(names.map(component));
    const results = await Promise.all(
      [...names, 'nope'].map(name =>
        lookup
          .authorizedEntity(
            requestAs('user:default/alice'),
            meshStatusReadPermission,
            ref(name),
          )
          .then(
            r => r.entity.metadata.name,
            (e: Error) => e.name,
          ),
      ),
    );
    expect(results).toEqual([...names, 'NotFoundError']);
    expect(fetches).toHaveBeenCalledTimes(1);
    expect(fetches.mock.calls[0][0].entityRefs).toHaveLength(31);
  });

  it('serves a stale entity while it fetches the new one, then the new one', async () => {
    let version = 1;
    const lookup = staleLookup(() => {
      const entity = component('productpage');
      entity.metadata.annotations = { version: String(version++) };
      return entity;
    });
    const read = async () =>
      (await lookup.read()).metadata.annotations?.version;
    expect(await read()).toBe('1');
    // Stale at once (ttl 0): this read is answered with version 1 and starts the refresh.
    expect(await read()).toBe('1');
    let seen = 1;
    // Background refreshes gather for a moment before they are fetched.
    for (let i = 0; i < 250 && seen < 2; i++) {
      await new Promise(resolve => setTimeout(resolve, 20));
      seen = Number(await read());
    }
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it('keeps the entity it holds when a refresh brings it unchanged (same etag), and takes a changed one', async () => {
    let etag = 'a';
    const { read, fetches } = staleLookup(() => {
      const entity = component('productpage');
      entity.metadata.uid = 'uid-1';
      entity.metadata.etag = etag;
      return entity;
    });
    // A read of a stale entry (ttl 0) starts a background refresh; wait until it has landed.
    const refreshed = async () => {
      const before = fetches.mock.calls.length;
      // Stale means older than the ttl: at least a millisecond after the last fetch.
      await new Promise(resolve => setTimeout(resolve, 5));
      await read();
      for (let i = 0; i < 250 && fetches.mock.calls.length === before; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await new Promise(resolve => setImmediate(resolve));
      return read();
    };
    const first = await read();
    expect(await refreshed()).toBe(first);
    etag = 'b';
    const changed = await refreshed();
    expect(changed).not.toBe(first);
    expect(changed.metadata.etag).toBe('b');
  });
});
