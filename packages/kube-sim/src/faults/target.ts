import { parsePath } from '../server/request-info';
import type { FaultScope, TerminalFaultKind } from './spec';

/** What a request addresses, as fault rules match it. */
export interface FaultTarget {
  method: string;
  /** The Kubernetes verb (`get`, `list`, `watch`, `create`, ...); for other paths, the method in lower case. */
  verb: string;
  path: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A watch or a followed log: the response is a stream that stays open. */
  streaming: boolean;
}

function readVerb(watch: boolean, name: string | undefined): string {
  if (watch) return 'watch';
  return name ? 'get' : 'list';
}

/** The target of a request from its method and URL. Pure. */
export function faultTarget(method: string, rawUrl: string): FaultTarget {
  const url = new URL(rawUrl, 'http://kube-sim');
  const q = url.searchParams;
  const parsed = parsePath(url.pathname);
  const base = { method, path: url.pathname };
  if (parsed.kind !== 'resource')
    return { ...base, verb: method.toLowerCase(), streaming: false };
  const r = parsed.req;
  const watch =
    method === 'GET' &&
    (r.watchPath || q.get('watch') === 'true' || q.get('watch') === '1');
  const verb =
    (
      {
        GET: readVerb(watch, r.name),
        POST: 'create',
        PUT: 'update',
        PATCH: 'patch',
        DELETE: r.name ? 'delete' : 'deletecollection',
      } as Record<string, string>
    )[method] ?? method.toLowerCase();
  return {
    ...base,
    verb,
    group: r.group,
    version: r.version,
    resource: r.resource,
    subresource: r.subresource,
    namespace: r.namespace,
    name: r.name,
    streaming: watch || q.get('follow') === 'true',
  };
}

function resourceMatches(entry: string, t: FaultTarget): boolean {
  if (!t.resource) return false;
  const [qualified, sub] = entry.split('/');
  const dot = qualified.indexOf('.');
  const plural = dot < 0 ? qualified : qualified.slice(0, dot);
  const group = dot < 0 ? undefined : qualified.slice(dot + 1);
  if (plural !== t.resource) return false;
  if (group !== undefined && group !== t.group) return false;
  return sub === undefined || sub === t.subresource;
}

/** Whether a request is in a rule's scope: every list given names it. */
export function inScope(scope: FaultScope, t: FaultTarget): boolean {
  if (scope.verbs && !scope.verbs.includes(t.verb as never)) return false;
  if (scope.resources && !scope.resources.some(r => resourceMatches(r, t)))
    return false;
  if (
    scope.namespaces &&
    (t.namespace === undefined || !scope.namespaces.includes(t.namespace))
  )
    return false;
  if (scope.names && (t.name === undefined || !scope.names.includes(t.name)))
    return false;
  if (scope.paths && !scope.paths.some(p => t.path.startsWith(p))) return false;
  return true;
}

/**
 * Whether a terminal fault can happen to a request as on a real API server: a 409 Conflict only
 * on writes to a named object, a 422 Invalid only on writes with a body, a cut only where a whole
 * response is sent (streams are dropped with `dropWatch` instead).
 */
export function faultApplies(kind: TerminalFaultKind, t: FaultTarget): boolean {
  switch (kind) {
    case 'conflict409':
      return ['update', 'patch', 'delete'].includes(t.verb);
    case 'invalid422':
      return ['create', 'update', 'patch'].includes(t.verb);
    case 'cut':
      return !t.streaming;
    default:
      return true;
  }
}
