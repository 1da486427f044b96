/**
 * Maps the errors of Node, undici and grpc-js onto the four kinds a load
 * test reports: timeout, reset, refused, other.
 *
 * @packageDocumentation
 */
import type { ErrorKind } from '../types';

/** The error a transport raises when a request outlives its timeout. */
export class RequestTimeoutError extends Error {
  readonly code = 'MESHPERF_TIMEOUT';
  constructor() {
    super('request timed out');
    this.name = 'RequestTimeoutError';
  }
}

const TIMEOUT_CODES = new Set([
  'MESHPERF_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_INVALID_SESSION',
]);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Classifies an error thrown by a transport. */
export function classifyError(err: unknown): ErrorKind {
  const seen = new Set<unknown>();
  let e: any = err;
  // Walk causes and aggregated errors: undici wraps socket errors, and
  // happy-eyeballs connects fail with an AggregateError per address.
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && TIMEOUT_CODES.has(code)) return 'timeout';
    if (code && REFUSED_CODES.has(code)) return 'refused';
    if (code && RESET_CODES.has(code)) return 'reset';
    if (Array.isArray(e.errors) && e.errors.length > 0) e = e.errors[0];
    else e = e.cause;
  }
  return 'other';
}
