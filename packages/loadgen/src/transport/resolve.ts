/**
 * curl-style `--resolve host:port:addr[:port]` pins: a request to `host:port`
 * opens its TCP connection to `addr:port` instead, while the URL (and so the
 * Host header, HTTP/2 `:authority` and TLS SNI) keeps naming `host`. This is
 * how a load generator reaches a cluster DNS name that only a proxy knows.
 * Pure.
 *
 * @packageDocumentation
 */

/** Pins from `host:port` (lower-case host, IPv6 without brackets) to an address and port. */
export type ResolveMap = Record<string, { address: string; port: number }>;

/** A malformed pin; the message is one line. */
export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/** The key of a pin: `host:port`, host lower-cased and without IPv6 brackets. */
export function resolveKey(host: string, portNumber: number): string {
  return `${host.replace(/^\[(.*)\]$/, '$1').toLowerCase()}:${portNumber}`;
}

// host: name, IPv4 or [IPv6]; addr likewise; the target port is optional (curl's --resolve form).
const PIN =
  /^(\[[0-9a-f:.]+\]|[^:[\]\s]+):(\d{1,5}):(\[[0-9a-f:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/i;

function port(text: string, what: string, pin: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new ResolveError(`invalid ${what} port in --resolve "${pin}"`);
  return n;
}

/**
 * Parses pins: each `host:port:addr:port` or `host:port:addr` (same port).
 * `entries` may hold comma-separated lists (the `MESHPERF_RESOLVE` form);
 * blanks are skipped; a later pin for the same `host:port` wins.
 */
export function parseResolve(entries: string[]): ResolveMap {
  const out: ResolveMap = {};
  for (const entry of entries) {
    for (const raw of entry.split(',')) {
      const pin = raw.trim();
      if (!pin) continue;
      const m = PIN.exec(pin);
      if (!m)
        throw new ResolveError(
          `invalid --resolve "${pin}" (use host:port:address:port)`,
        );
      const from = port(m[2], 'host', pin);
      const to = m[4] !== undefined ? port(m[4], 'address', pin) : from;
      out[resolveKey(m[1], from)] = {
        address: m[3].replace(/^\[(.*)\]$/, '$1'),
        port: to,
      };
    }
  }
  return out;
}

/** The pin for a URL's host and port (default ports filled in), if any. */
export function lookupResolve(
  map: ResolveMap | undefined,
  hostname: string,
  portText: string,
  protocol: string,
): { address: string; port: number } | undefined {
  if (!map) return undefined;
  const secure = protocol === 'https:' || protocol === 'grpcs:';
  const defaultPort = secure ? 443 : 80;
  const p = portText ? Number(portText) : defaultPort;
  return map[resolveKey(hostname, p)];
}
