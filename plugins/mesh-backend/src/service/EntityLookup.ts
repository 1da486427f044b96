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
import { BoundedMap } from './BoundedMap';

/** Tuning of {@link EntityLookup}. */
export interface EntityLookupOptions {
  /** How long a fetched entity is served before it is fetched again (in the background). */
  ttlMs?: number;
  /** How long "no such entity" is remembered. */
  missingTtlMs?: number;
  /** Most entities held; the least recently fetched go first. */
  maxEntries?: number;
}

/** The most entities asked for in one catalog request. */
const BATCH_SIZE = 200;
/** How long background refreshes gather before they are fetched. */
const REFRESH_DELAY_MS = 250;

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
  readonly #entries: BoundedMap<string, Entry>;
  readonly #inflight = new Map<string, Promise<Entry>>();
  readonly #queue: Array<{
    ref: string;
    resolve: (entry: Entry) => void;
    reject: (error: unknown) => void;
  }> = [];
  #flushNow?: NodeJS.Immediate;
  #flushSoon?: NodeJS.Timeout;
  readonly #ttlMs: number;
  readonly #missingTtlMs: number;

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
    this.#entries = new BoundedMap(options.maxEntries ?? 20_000);
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
        this.#fetch(ref, true).catch(() => undefined);
      }
      return entry.entity;
    }
    return (await this.#fetch(ref)).entity;
  }

  /**
   * Fetches once for every caller waiting on the same entity; the entities asked for in the same
   * turn of the event loop go to the catalog together, in one request (a portal's pages ask for
   * many at once, and each catalog request costs a signed token and a round trip).
   */
  #fetch(ref: string, background = false): Promise<Entry> {
    let pending = this.#inflight.get(ref);
    if (!pending) {
      pending = new Promise<Entry>((resolve, reject) => {
        this.#queue.push({ ref, resolve, reject });
      }).finally(() => this.#inflight.delete(ref));
      this.#inflight.set(ref, pending);
    }
    if (!background) {
      // Someone waits: at the end of this turn.
      this.#flushNow ??= setImmediate(() => this.#flush());
    } else {
      // Refreshes nobody waits for gather for a moment, into fewer, larger requests.
      this.#flushSoon ??= setTimeout(
        () => this.#flush(),
        REFRESH_DELAY_MS,
      ).unref();
    }
    return pending;
  }

  #flush(): void {
    if (this.#flushNow) clearImmediate(this.#flushNow);
    if (this.#flushSoon) clearTimeout(this.#flushSoon);
    this.#flushNow = undefined;
    this.#flushSoon = undefined;
    const waiting = this.#queue.splice(0);
    for (let i = 0; i < waiting.length; i += BATCH_SIZE) {
      const batch = waiting.slice(i, i + BATCH_SIZE);
      this.#fetchBatch(batch.map(w => w.ref)).then(
        entries => batch.forEach((w, j) => w.resolve(entries[j])),
        error => batch.forEach(w => w.reject(error)),
      );
    }
  }

  async #fetchBatch(refs: string[]): Promise<Entry[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials },
    );
    const at = Date.now();
    return refs.map((ref, i) => {
      const fetched = items[i] ?? undefined;
      // An unchanged entity (same uid and etag: the catalog changes the etag with any change)
      // keeps the object already held: what readers keep under its identity stays valid, and the
      // copy just read dies young instead of replacing a long-lived one every few seconds.
      const held = this.#entries.get(ref)?.entity;
      const same =
        held !== undefined &&
        fetched !== undefined &&
        held.metadata.etag !== undefined &&
        held.metadata.etag === fetched.metadata.etag &&
        held.metadata.uid === fetched.metadata.uid;
      const entry: Entry = { entity: same ? held : fetched, at };
      // Set again on each fetch, so the least recently fetched go first.
      this.#entries.set(ref, entry);
      return entry;
    });
  }
}
