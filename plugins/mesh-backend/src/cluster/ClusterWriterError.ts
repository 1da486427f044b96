/**
 * A request the Kubernetes API server refused: `code` is the HTTP status (also the `Status`
 * object's code), `reason` the `Status` reason (`NotFound`, `Conflict`, `Invalid` ...),
 * `statusMessage` the `Status` message (or the body's text) and the message the request with
 * it, so callers and users see what the cluster said.
 */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason?: string;
  readonly statusMessage?: string;

  constructor(
    message: string,
    code: number,
    reason?: string,
    statusMessage?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
    this.statusMessage = statusMessage;
  }

  /**
   * The error for a non-2xx response: the `Status` message when the body is one, else the text;
   * how many attempts were made when there were retries.
   */
  static fromResponse(
    what: string,
    code: number,
    body: string,
    attempts = 1,
  ): KubeApiError {
    let message = body.trim().slice(0, 300) || '(empty body)';
    let reason: string | undefined;
    try {
      const parsed = JSON.parse(body);
      if (typeof parsed?.message === 'string') message = parsed.message;
      if (typeof parsed?.reason === 'string') reason = parsed.reason;
    } catch {
      // not JSON: keep the raw text
    }
    return new KubeApiError(
      `${what} failed with HTTP ${code}: ${message}${
        attempts > 1 ? ` (after ${attempts} attempts)` : ''
      }`,
      code,
      reason,
      message,
    );
  }
}
