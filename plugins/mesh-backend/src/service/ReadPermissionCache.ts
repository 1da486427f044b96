import type {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import {
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  AuthorizeResult,
  isResourcePermission,
  type Permission,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { BoundedMap } from './BoundedMap';

/** Tuning of {@link ReadPermissionCache}. */
export interface ReadPermissionCacheOptions {
  /** How long a decision is reused; 0 asks the permission backend every time. */
  ttlMs: number;
  /** Most decisions kept; the oldest go first. */
  maxEntries?: number;
  /** The clock (tests move it). */
  now?: () => number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

type Decision = AuthorizePermissionResponse['result'];

/**
 * The permission service for the plugin's routes, remembering decisions on read permissions for a
 * few seconds, as a Kubernetes API server's webhook authorizer does: a Mesh tab polls its status
 * every few seconds, and asking the permission backend each time (a signed token and an HTTP round
 * trip per request) cost more than the rest of the route. Only permissions whose action is `read`
 * are remembered; every other decision (each lifecycle action, scan, run or profile change) is
 * asked for each time. Decisions are kept per token (the user and the token's expiry, so a
 * refreshed token with new ownership claims asks again), never across callers.
 *
 * A resource permission (the catalog's `catalog.entity.read` of an entity) is first decided for
 * the caller as a whole (`authorizeConditional`): a policy's allow or deny then holds for every
 * resource, as the permission framework gives policies no resource to decide on. A conditional
 * decision is resolved per resource by the permission backend as before, and remembered per
 * resource.
 */
export class ReadPermissionCache implements PermissionsService {
  readonly #entries: BoundedMap<string, Entry<unknown>>;
  readonly #now: () => number;

  constructor(
    private readonly permissions: PermissionsService,
    private readonly options: ReadPermissionCacheOptions,
  ) {
    this.#entries = new BoundedMap(options.maxEntries ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    const caller = callerKey(options.credentials);
    if (this.options.ttlMs <= 0 || caller === undefined) {
      return this.permissions.authorize(requests, options);
    }
    // Requests nothing remembers go to the permission backend together, in one round trip.
    const asked: AuthorizePermissionRequest[] = [];
    const answers = requests.map(request =>
      isRead(request.permission)
        ? this.#decide(caller, request, options)
        : undefined,
    );
    requests.forEach((request, i) => {
      if (!answers[i]) asked.push(request);
    });
    const fresh = asked.length
      ? this.permissions.authorize(asked, options)
      : Promise.resolve([]);
    let next = 0;
    return Promise.all(
      answers.map(answer => {
        if (answer) return answer.then(result => ({ result }));
        const index = next++;
        return fresh.then(decisions => decisions[index]);
      }),
    ) as Promise<AuthorizePermissionResponse[]>;
  }

  authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    return this.permissions.authorizeConditional(requests, options);
  }

  /** One read permission's decision, remembered per caller (and resource when conditional). */
  #decide(
    caller: string,
    request: AuthorizePermissionRequest,
    options: PermissionsServiceRequestOptions,
  ): Promise<Decision> {
    const { permission } = request;
    const resourceRef = 'resourceRef' in request ? request.resourceRef : '';
    if (!isResourcePermission(permission) || !resourceRef) {
      return this.#remember(`${caller}\0${permission.name}`, async () => {
        const [decision] = await this.permissions.authorize([request], options);
        return decision.result;
      });
    }
    const overall = this.#remember(
      `${caller}\0${permission.name}\0*`,
      async () => {
        const [decision] = await this.permissions.authorizeConditional(
          [{ permission }],
          options,
        );
        return decision.result;
      },
    );
    return overall.then(result =>
      result !== AuthorizeResult.CONDITIONAL
        ? result
        : this.#remember(
            `${caller}\0${permission.name}\0${resourceRef}`,
            async () => {
              const [decision] = await this.permissions.authorize(
                [{ permission, resourceRef }],
                options,
              );
              return decision.result;
            },
          ),
    );
  }

  /** A remembered answer, or `ask`'s (asked once for every caller waiting on the same key). */
  #remember<T>(key: string, ask: () => Promise<T>): Promise<T> {
    const now = this.#now();
    const kept = this.#entries.get(key) as Entry<T> | undefined;
    if (kept && now - kept.at < this.options.ttlMs) return kept.value;
    const value = ask();
    const entry: Entry<T> = { at: now, value };
    this.#entries.set(key, entry);
    // A failure is not remembered: the next request asks again.
    value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return value;
  }
}

function isRead(permission: Permission): boolean {
  return permission.attributes.action === 'read';
}

/**
 * Who is asking, as precisely as the decision may depend on it: a user's token (its user, expiry
 * and the service acting for them), or a service with its access restrictions. `undefined` for
 * anything else (never remembered).
 */
function callerKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | { type: string };
  if (principal.type === 'user') {
    const user = principal as BackstageUserPrincipal;
    const expiresAt = credentials.expiresAt?.getTime();
    if (expiresAt === undefined) return undefined;
    return `user\0${user.userEntityRef}\0${expiresAt}\0${
      user.actor?.subject ?? ''
    }`;
  }
  if (principal.type === 'service') {
    const service = principal as BackstageServicePrincipal;
    return `service\0${service.subject}\0${JSON.stringify(
      service.accessRestrictions ?? null,
    )}`;
  }
  return undefined;
}
