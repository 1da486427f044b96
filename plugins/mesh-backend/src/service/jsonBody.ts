import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { InputError } from '@backstage/errors';
import express from 'express';

/** The deepest a request body may nest objects and arrays; no route needs more than a few. */
export const MAX_BODY_DEPTH = 64;

/** How deep a JSON text nests `{` and `[` (strings skipped), or -1 when it goes past `max`. */
export function jsonDepth(buf: Buffer, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) return -1;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** A 400 that body-parser passes on as it is (its own verify errors would be 403s). */
function refused(message: string): InputError {
  return Object.assign(new InputError(message), { status: 400 });
}

/**
 * The mesh API's JSON request bodies: `application/json` only (another type with a body is a
 * 400, not a silently empty body), at most `limit` bytes (413 beyond), valid UTF-8 (invalid bytes
 * would otherwise be stored as U+FFFD) and at most {@link MAX_BODY_DEPTH} levels deep; a top-level
 * value that is not an object or array is a 400 (body-parser's strict mode).
 */
export function jsonBody(
  options: { limit?: number | string } = {},
): express.RequestHandler[] {
  const parse = express.json({
    limit: options.limit ?? '100kb',
    strict: true,
    verify: (_req: IncomingMessage, _res, buf: Buffer) => {
      if (!isUtf8(buf)) throw refused('Request body is not valid UTF-8');
      if (jsonDepth(buf, MAX_BODY_DEPTH) < 0) {
        throw refused(
          `Request body nests deeper than ${MAX_BODY_DEPTH} levels`,
        );
      }
    },
  });
  const requireJson: express.RequestHandler = (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && !req.is('application/json')) {
      next(
        refused(
          `Request body must be application/json (got ${
            req.headers['content-type'] ?? 'no Content-Type'
          })`,
        ),
      );
      return;
    }
    next();
  };
  return [requireJson, parse];
}
