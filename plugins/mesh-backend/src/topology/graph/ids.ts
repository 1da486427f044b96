import type { TopologyNode } from '@meshstage/plugin-mesh-common';

/** The DNS domain of Services (`<name>.<namespace>.svc.<domain>`). */
export const CLUSTER_DOMAIN = 'cluster.local';

/** The host names a Service answers to, normalised to its FQDN. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/**
 * The Service a host names, as meshes read hosts: a short name in `namespace`, `name.ns`,
 * `name.ns.svc` or the FQDN. `undefined` for hosts that cannot name a Service (more labels, or a
 * domain other than the cluster's).
 */
export function hostServiceName(
  host: string,
  namespace: string,
): { namespace: string; name: string } | undefined {
  let h = host.toLowerCase().replace(/\.$/, '');
  const suffix = `.svc.${CLUSTER_DOMAIN}`;
  if (h.endsWith(suffix)) h = h.slice(0, -suffix.length);
  else if (h.endsWith('.svc')) h = h.slice(0, -'.svc'.length);
  const parts = h.split('.');
  if (parts.length === 1) return { namespace, name: parts[0] };
  if (parts.length === 2) return { namespace: parts[1], name: parts[0] };
  return undefined;
}

/** A node's id: unique per cluster, kind, namespace and name. */
export function nodeId(
  cluster: string,
  kind: TopologyNode['kind'],
  namespace: string | undefined,
  name: string,
): string {
  return `${cluster}/${kind}/${namespace ?? '-'}/${name}`;
}

/** Ids in code-unit order (stable across locales). */
export function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
