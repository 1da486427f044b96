/** What a resource URL addresses, as the API server's RequestInfo. */
export interface ResourceRequest {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Legacy `/watch/` path prefix. */
  watchPath: boolean;
}

export type ParsedPath =
  | { kind: 'version' }
  | { kind: 'health'; which: string }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'openapiIndex' }
  | { kind: 'openapiDoc'; path: string }
  | { kind: 'openapiV2' }
  | { kind: 'resource'; req: ResourceRequest }
  | { kind: 'unknown' };

/** Splits a request path into what it addresses. */
export function parsePath(pathname: string): ParsedPath {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'unknown' };
  if (parts[0] === 'version' && parts.length === 1) return { kind: 'version' };
  if (['healthz', 'livez', 'readyz'].includes(parts[0]))
    return { kind: 'health', which: parts[0] };
  if (parts[0] === 'openapi') {
    if (parts[1] === 'v3' && parts.length === 2)
      return { kind: 'openapiIndex' };
    if (parts[1] === 'v3')
      return { kind: 'openapiDoc', path: parts.slice(2).join('/') };
    if (parts[1] === 'v2') return { kind: 'openapiV2' };
    return { kind: 'unknown' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'api' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'apis' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'groupVersion', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
    if (rest.length === 0) return { kind: 'unknown' };
  }
  const req: ResourceRequest = { group, version, resource: '', watchPath };
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(
      group === '' &&
      rest.length === 3 &&
      (rest[2] === 'status' || rest[2] === 'finalize')
    )
  ) {
    req.namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return { kind: 'unknown' };
  req.resource = rest[0];
  req.name = rest[1];
  req.subresource = rest[2];
  return { kind: 'resource', req };
}
