/**
 * Pre-serialized HTTP/1.1 requests for the `net` transport: each target's
 * request is built once into a Buffer, so sending one is a single socket
 * write with no per-request formatting. Pure.
 *
 * @packageDocumentation
 */
import type { Target } from '../types';

/** A target ready to be sent over a plain TCP connection. */
export interface SerializedRequest {
  /** The whole request: request line, headers, blank line and body. */
  bytes: Buffer;
  /** Body bytes (what a result counts as sent). */
  bodyBytes: number;
  /** HEAD responses have no body, whatever their headers say. */
  head: boolean;
  /** Where the connection goes: host (no IPv6 brackets) and port, before `--resolve` pins. */
  hostname: string;
  port: number;
  /** `host:port` as the URL spells it; connections are shared per origin. */
  origin: string;
}

// Methods whose requests are expected to carry a body: without one they
// still say so (Content-Length: 0), as undici and curl do.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A header name or value that would break the request framing. */
export class RequestFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestFormatError';
  }
}

/**
 * Serializes a target's request. The Host header comes from the URL (so it
 * keeps naming the host when `--resolve` pins the address) unless the user
 * set one; a body gets its Content-Length.
 */
export function serializeRequest(t: Target): SerializedRequest {
  const url = new URL(t.url);
  if (url.protocol !== 'http:')
    throw new RequestFormatError(
      `the net engine speaks plain HTTP/1.1 only (got ${url.protocol}//)`,
    );
  let body: Buffer | undefined;
  if (typeof t.body === 'string') body = Buffer.from(t.body);
  else if (t.body !== undefined)
    body = Buffer.from(t.body.buffer, t.body.byteOffset, t.body.byteLength);
  const method = (t.method ?? (body ? 'POST' : 'GET')).toUpperCase();
  const user = Object.entries(t.headers ?? {});
  for (const [k, v] of user) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k))
      throw new RequestFormatError(`invalid header name "${k}"`);
    if (/[\r\n\0]/.test(v))
      throw new RequestFormatError(`invalid value of header "${k}"`);
  }
  const has = (name: string) => user.some(([k]) => k.toLowerCase() === name);
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`];
  if (!has('host')) lines.push(`Host: ${url.host}`);
  for (const [k, v] of user) lines.push(`${k}: ${v}`);
  if (!has('content-length') && !has('transfer-encoding')) {
    if (body) lines.push(`Content-Length: ${body.length}`);
    else if (BODY_METHODS.has(method)) lines.push('Content-Length: 0');
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return {
    bytes: body ? Buffer.concat([head, body]) : head,
    bodyBytes: body ? body.length : 0,
    head: method === 'HEAD',
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 80,
    origin: url.host,
  };
}
