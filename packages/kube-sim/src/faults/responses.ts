import { ApiError, errors } from '../server/status';
import { fieldError, invalidError } from '../validation/field-errors';
import type { ErrorFaultKind } from './spec';
import type { FaultTarget } from './target';

/** An HTTP answer: status, headers and body text. */
export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const INJECTED = 'injected by kube-sim --faults';

/** A `Status` answer, with `Retry-After` when the status carries one. */
function statusResponse(
  err: ApiError,
  retryAfterSeconds?: number,
): FaultResponse {
  return {
    status: err.code,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      ...(retryAfterSeconds !== undefined
        ? { 'Retry-After': String(retryAfterSeconds) }
        : {}),
    },
    body: JSON.stringify(err.toStatus()),
  };
}

/**
 * What a real API server answers in the situation each error fault stands for. Pure.
 *
 * - `throttle429`: the max-in-flight / priority-and-fairness filter's answer, which is plain text
 *   (`Too many requests, please try again later.`) with `Retry-After`, not a Status.
 * - `error500`: `InternalError` (as for an etcd failure), `error503`: `ServiceUnavailable`,
 *   `error504`: `Timeout` (the request timeout filter), each a Status; `Retry-After` (and
 *   `details.retryAfterSeconds`) when the fault sets one.
 * - `conflict409`: `Conflict` on the named object (the optimistic-concurrency message).
 * - `forbidden403`: `Forbidden` in the authorizer's words. `invalid422`: `Invalid` with one cause.
 */
export function faultResponse(
  kind: ErrorFaultKind,
  t: FaultTarget,
  options: {
    retryAfterSeconds?: number;
    kindOf?: (t: FaultTarget) => string | undefined;
  } = {},
): FaultResponse {
  const retryAfter = options.retryAfterSeconds;
  const group = t.group ?? '';
  const resource = t.resource ?? '';
  switch (kind) {
    case 'throttle429':
      return {
        status: 429,
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          'X-Content-Type-Options': 'nosniff',
          'Retry-After': String(retryAfter ?? 1),
        },
        body: 'Too many requests, please try again later.\n',
      };
    case 'error500':
      return statusResponse(errors.internal(INJECTED), retryAfter);
    case 'error503':
      return statusResponse(
        new ApiError(
          503,
          'ServiceUnavailable',
          'the server is currently unable to handle the request',
          retryAfter !== undefined
            ? { retryAfterSeconds: retryAfter }
            : undefined,
        ),
        retryAfter,
      );
    case 'error504':
      return statusResponse(
        new ApiError(
          504,
          'Timeout',
          'Timeout: request did not complete within requested timeout - context deadline exceeded',
          retryAfter !== undefined
            ? { retryAfterSeconds: retryAfter }
            : undefined,
        ),
        retryAfter,
      );
    case 'conflict409':
      return statusResponse(errors.conflict(resource, group, t.name ?? ''));
    case 'forbidden403': {
      const where = t.namespace ? ` in the namespace "${t.namespace}"` : '';
      const subject = t.subresource ? `${resource}/${t.subresource}` : resource;
      return statusResponse(
        errors.forbidden(
          resource,
          group,
          t.name ?? '',
          `User "kube-sim-admin" cannot ${t.verb} resource "${subject}" in API group "${group}"${where} (${INJECTED})`,
        ),
      );
    }
    case 'invalid422':
      return statusResponse(
        invalidError(options.kindOf?.(t) ?? resource, group, t.name ?? '', [
          fieldError.forbidden('metadata', INJECTED),
        ]),
      );
    default:
      throw new Error(`not an error fault: ${String(kind)}`);
  }
}
