import type { JsonObject } from '../util/objects';

/** One cause in a Status' details (field errors, SSA conflicts). */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/**
 * An error that is answered as a Kubernetes `Status` object. Everything that
 * can go wrong in a request ends up as one of these, so clients always see the
 * shape kubectl and client-node parse.
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): JsonObject {
    const status: JsonObject = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
    };
    if (this.details) status.details = this.details;
    status.code = this.code;
    return status;
  }
}

/** `<resource>.<group>` as the API server names a resource in messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** `<Kind>.<group>` as used by Invalid errors. */
export function qualifiedKind(kind: string, group: string): string {
  return group ? `${kind}.${group}` : kind;
}

export const errors = {
  notFound(resource: string, group: string, name: string): ApiError {
    return new ApiError(
      404,
      'NotFound',
      `${qualifiedResource(resource, group)} "${name}" not found`,
      {
        name,
        group: group || undefined,
        kind: resource,
      },
    );
  },
  alreadyExists(resource: string, group: string, name: string): ApiError {
    return new ApiError(
      409,
      'AlreadyExists',
      `${qualifiedResource(resource, group)} "${name}" already exists`,
      { name, group: group || undefined, kind: resource },
    );
  },
  conflict(
    resource: string,
    group: string,
    name: string,
    why?: string,
  ): ApiError {
    return new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        resource,
        group,
      )} "${name}": ${
        why ??
        'the object has been modified; please apply your changes to the latest version and try again'
      }`,
      { name, group: group || undefined, kind: resource },
    );
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  forbidden(
    resource: string,
    group: string,
    name: string,
    why: string,
  ): ApiError {
    const prefix = name
      ? `${qualifiedResource(resource, group)} "${name}"`
      : qualifiedResource(resource, group);
    return new ApiError(403, 'Forbidden', `${prefix} is forbidden: ${why}`, {
      name: name || undefined,
      group: group || undefined,
      kind: resource,
    });
  },
  methodNotAllowed(): ApiError {
    return new ApiError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  },
  unsupportedMediaType(_contentType: string, accepted: string[]): ApiError {
    return new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(
        ', ',
      )}`,
    );
  },
  notAcceptable(accepted: string[]): ApiError {
    return new ApiError(
      406,
      'NotAcceptable',
      `only the following media types are accepted: ${accepted.join(', ')}`,
    );
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  pathNotFound(): ApiError {
    return new ApiError(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  },
  gone(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  },
  internal(message: string): ApiError {
    return new ApiError(
      500,
      'InternalError',
      `Internal error occurred: ${message}`,
      {
        causes: [{ reason: 'UnexpectedServerResponse', message }],
      },
    );
  },
};
