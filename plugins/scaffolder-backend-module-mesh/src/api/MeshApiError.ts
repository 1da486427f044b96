/**
 * An error answer of the mesh backend, with the cause first so a failed scaffolder step reads as
 * what went wrong: `Not allowed (permission mesh.operation.onboard) [mesh backend: POST
 * /operations answered 403 NotAllowedError]`.
 * @public
 */
export class MeshApiError extends Error {
  readonly name = 'MeshApiError';

  constructor(
    message: string,
    /** The HTTP status; 0 when the backend could not be reached. */
    readonly status: number,
    /** The Backstage error name of the body (`InputError`, `ConflictError`, ...), if any. */
    readonly errorName?: string,
    /** The parsed error body, e.g. the 409's `operationId`. */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }

  /**
   * The error for a non-2xx answer. Reads Backstage's error body (`{error: {name, message}}`);
   * falls back to the start of the text when the body is something else (a proxy's HTML page).
   */
  static fromResponse(
    method: string,
    path: string,
    status: number,
    text: string,
  ): MeshApiError {
    let body: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed;
    } catch {
      // not JSON
    }
    const error = body?.error as
      | { name?: unknown; message?: unknown }
      | undefined;
    const errorName = typeof error?.name === 'string' ? error.name : undefined;
    const cause =
      typeof error?.message === 'string' && error.message
        ? error.message
        : text.trim().slice(0, 200) || 'no error message';
    const where = `mesh backend: ${method} ${path} answered ${status}${
      errorName ? ` ${errorName}` : ''
    }`;
    return new MeshApiError(`${cause} [${where}]`, status, errorName, body);
  }
}
