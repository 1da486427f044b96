/** Errors as MeshClient throws them: a real `ResponseError` built from the backend's answer. */
import { ResponseError } from '@backstage/errors';

/**
 * What MeshClient throws for a 403: `ResponseError.fromResponse` of Backstage's error body, the
 * backend's `NotAllowedError` message as its cause.
 */
export function forbidden(
  message: string,
  url: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        request: { method: 'POST', url },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}
