import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  type CompoundEntityRef,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type express from 'express';

/** Tuning of {@link EntityLookup}. */
export interface EntityLookupOptions {
  /** How long a fetched entity is served before it is fetched again (in the background). */
  ttlMs?: number;
  /** How long "no such entity" is remembered. */
  missingTtlMs?: number;
  /** Most entities held; the least recently fetched go first. */
  maxEntries?: number;
}

interface Entry {
  entity?: Entity;
  at: number;
}

/**
 * The catalog entity an entity route is about, for pages that ask for the same entities over and
 * over (every open Mesh tab polls its status): entities are fetched with the plugin's own
 * credentials and kept for a few seconds (refreshed in the background once stale), and the
 * caller's right to read the entity is checked by the permission framework in the same request
 * as the route's own permission, with the entity as the resource, so a catalog permission policy
 * (conditional ones included: the catalog resolves them) applies exactly as on the catalog's own
 * routes. An entity the caller may not read is a 404, as the catalog answers.
 */
export class EntityLookup {
  readonly #entries = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<Entry>>();
  readonly #ttlMs: number;
  readonly #missingTtlMs: number;
  readonly #maxEntries: number;

  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      permissions: PermissionsService;
      catalog: CatalogService;
      auth: AuthService;
    },
    options: EntityLookupOptions = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#missingTtlMs = options.missingTtlMs ?? 2_000;
    this.#maxEntries = options.maxEntries ?? 20_000;
  }

  /**
   * The caller's credentials and the entity, once the caller holds `permission` and may read the
   * entity. 403 naming the permission, 404 for an entity that is absent or hidden from the caller.
   */
  async authorizedEntity(
    req: express.Request,
    permission: BasicPermission,
    ref: CompoundEntityRef,
  ): Promise<{ credentials: BackstageCredentials; entity: Entity }> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = stringifyEntityRef(ref);
    const [decisions, entity] = await Promise.all([
      this.deps.permissions.authorize(
        [
          { permission },
          { permission: catalogEntityReadPermission, resourceRef: entityRef },
        ],
        { credentials },
      ),
      this.#entity(entityRef),
    ]);
    if (decisions[0].result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed (permission ${permission.name})`);
    }
    if (!entity || decisions[1].result !== AuthorizeResult.ALLOW) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return { credentials, entity };
  }

  async #entity(ref: string): Promise<Entity | undefined> {
    const entry = this.#entries.get(ref);
    if (entry) {
      const ttl = entry.entity ? this.#ttlMs : this.#missingTtlMs;
      if (Date.now() - entry.at > ttl) {
        // Served stale meanwhile; a failed refresh keeps it, the next read tries again.
        this.#fetch(ref).catch(() => undefined);
      }
      return entry.entity;
    }
    return (await this.#fetch(ref)).entity;
  }

  /** Fetches once for every caller waiting on the same entity. */
  #fetch(ref: string): Promise<Entry> {
    let pending = this.#inflight.get(ref);
    if (!pending) {
      pending = (async () => {
        const credentials = await this.deps.auth.getOwnServiceCredentials();
        const entity = await this.deps.catalog.getEntityByRef(ref, {
          credentials,
        });
        const entry: Entry = { entity, at: Date.now() };
        // Re-inserted, so the map's order is fetch order and the oldest goes first.
        this.#entries.delete(ref);
        this.#entries.set(ref, entry);
        if (this.#entries.size > this.#maxEntries) {
          const oldest = this.#entries.keys().next().value;
          if (oldest !== undefined) this.#entries.delete(oldest);
        }
        return entry;
      })().finally(() => this.#inflight.delete(ref));
      this.#inflight.set(ref, pending);
    }
    return pending;
  }
}
