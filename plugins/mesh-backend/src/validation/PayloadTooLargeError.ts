import { CustomErrorBase } from '@backstage/errors';

/**
 * A request body or an uploaded file over a configured size limit: HTTP 413 (Backstage's error
 * handler answers with an error's `statusCode`).
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  readonly statusCode = 413;
}
