import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type express from 'express';
import type { z } from 'zod';

/** The most items one page of any list route returns (`limit`), the same on every route. */
export const MAX_LIST_LIMIT = 500;

/**
 * Parses a request part with a zod schema; the first problem becomes a 400 that names the field,
 * e.g. `Invalid body field 'steps.0.timeoutSeconds': Expected number, received string`.
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  where: 'query parameter' | 'body field' | 'path parameter',
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new InputError(`Invalid ${where} '${field}': ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Checks a basic permission for the caller of a request. Given `credentials`, those of a caller
 * the route has authenticated already, the request is not authenticated again.
 */
export type Authorize = (
  req: express.Request,
  permission: BasicPermission,
  credentials?: BackstageCredentials,
) => Promise<BackstageCredentials>;

/**
 * An {@link Authorize} over the core services: users and services may call; a denied permission
 * is a 403 naming it.
 */
export function createAuthorize(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): Authorize {
  return async (req, permission, authenticated) => {
    const credentials =
      authenticated ??
      (await httpAuth.credentials(req, { allow: ['user', 'service'] }));
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed (permission ${permission.name})`);
    }
    return credentials;
  };
}
