import type { KubeObject } from '@meshstage/plugin-mesh-node';
import { arr, specOf } from '../common';
import { serverTlsWarnings } from './serverTls';
import type { SchemaWarning } from './warning';
import { absent, isHttpProtocol, obj } from './warning';
import {
  NO_LABELS,
  selectorRejected,
  workloadSelector,
} from './workloadSelector';

/** Go's `%q` of a plain string. */
const quoted = (s: unknown) => JSON.stringify(String(s ?? ''));

/** Duplicate hosts in one egress listener (`ns/host` after `ns/host` or `ns/*`, ...). */
function egressHostWarnings(
  hosts: unknown[],
  namespace: string,
  path: string,
): SchemaWarning[] {
  const out: SchemaWarning[] = [];
  const seen = new Map<string, Set<string>>();
  hosts.forEach((hostValue, j) => {
    const hostname = String(hostValue);
    const slash = hostname.indexOf('/');
    if (slash < 0 || hostname.startsWith('~')) return;
    const ns =
      hostname.slice(0, slash) === '.' ? namespace : hostname.slice(0, slash);
    const svc = hostname.slice(slash + 1);
    const svcs = seen.get(ns) ?? new Set<string>();
    seen.set(ns, svcs);
    const duplicate =
      svc !== '*' ? svcs.has(svc) || svcs.has('*') : svcs.size > 0;
    if (duplicate)
      out.push({
        path: `${path}/hosts/${j}`,
        text: `duplicated egress host: ${hostname}`,
      });
    svcs.add(svc);
  });
  if (seen.get('*')?.has('*') && seen.size !== 1)
    out.push({
      path: `${path}/hosts`,
      text: '`*/*` host select all resources, no other hosts can be added',
    });
  return out;
}

/**
 * A Sidecar's warnings: a selector without labels, each ingress listener's TLS settings and HTTP
 * pool on a non-HTTP port, duplicate egress hosts. None when Istio returns an error alone (a
 * rejected selector, nothing configured).
 */
export function sidecarWarnings(sidecar: KubeObject): SchemaWarning[] {
  const spec = specOf(sidecar);
  const selector = workloadSelector(sidecar);
  if (selector && selectorRejected(selector.labels)) return [];
  const empty =
    arr(spec.egress).length === 0 &&
    arr(spec.ingress).length === 0 &&
    absent(spec.outboundTrafficPolicy) &&
    absent(spec.inboundConnectionPool);
  if (empty) return [];
  const out: SchemaWarning[] = [];
  if (selector && Object.keys(selector.labels).length === 0)
    out.push({ path: '/spec/workloadSelector', text: `sidecar: ${NO_LABELS}` });
  arr(spec.ingress).forEach((value, i) => {
    const listener = obj(value);
    if (absent(value) || absent(listener.port)) return;
    const port = obj(listener.port);
    if (!absent(listener.tls))
      out.push(...serverTlsWarnings(listener.tls, `/spec/ingress/${i}/tls`));
    if (
      !absent(obj(listener.connectionPool).http) &&
      !isHttpProtocol(port.protocol)
    )
      out.push({
        path: `/spec/ingress/${i}/connectionPool/http`,
        text: `sidecar: HTTP connection pool settings are configured for port ${Number(
          port.number ?? 0,
        )} (${quoted(port.name)}) but its protocol is not HTTP (${String(
          port.protocol ?? '',
        )}); only TCP settings will apply`,
      });
  });
  const namespace = sidecar.metadata.namespace ?? 'default';
  arr(spec.egress).forEach((value, i) => {
    if (absent(value)) return;
    out.push(
      ...egressHostWarnings(
        arr(obj(value).hosts),
        namespace,
        `/spec/egress/${i}`,
      ),
    );
  });
  return out;
}
