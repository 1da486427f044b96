/**
 * Host allow-list matching for benchmark targets. Pure.
 *
 * A pattern is a host name or IP (`127.0.0.1`, `echo.demo`), a wildcard that matches one or more
 * leading labels (`*.svc.cluster.local` matches `echo.demo.svc.cluster.local` but not
 * `svc.cluster.local`), or `*` for any host.
 */

/** Hosts a benchmark may target when `mesh.benchmark.allowedHosts` is not set. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = [
  'localhost',
  '127.0.0.1',
  '::1',
  '*.svc.cluster.local',
  '*.svc',
];

/** The host of a target: an `http(s)://` or `grpc(s)://` URL, or gRPC's bare `host:port`. */
export function targetHost(url: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url)
    ? url
    : `grpc://${url}`;
  try {
    const host = new URL(withScheme).hostname.toLowerCase();
    // IPv6 literals come back bracketed; patterns are written without brackets.
    return host.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Whether a host matches one pattern of the allow-list. */
export function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1); // ".svc.cluster.local"
    return host.length > suffix.length && host.endsWith(suffix);
  }
  return host === p;
}

/** Whether a host matches any pattern of the allow-list. */
export function isHostAllowed(
  host: string,
  patterns: readonly string[],
): boolean {
  return patterns.some(p => hostMatches(host, p));
}
