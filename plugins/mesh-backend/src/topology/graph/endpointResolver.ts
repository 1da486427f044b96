import type { TopologyEndpoint } from '@meshstage/plugin-mesh-node';
import { GATEWAY_NAME_LABEL } from '../gatewayApi';
import { mapMatches } from '../labelSelector';
import type { GraphBuilder } from './GraphBuilder';
import { CLUSTER_DOMAIN, hostServiceName, nodeId, serviceFqdn } from './ids';
import type { ServiceInfo, WorkloadInfo } from './types';

/** A cache key for an endpoint (cheaper than JSON for the common host and service forms). */
function endpointKey(end: TopologyEndpoint): string {
  switch (end.type) {
    case 'host':
    case 'service': {
      const name = end.type === 'host' ? end.host : end.name;
      const subset = end.subsetLabels ? JSON.stringify(end.subsetLabels) : '';
      return `${end.type}\u0000${end.namespace}\u0000${name}\u0000${subset}`;
    }
    default:
      return JSON.stringify(end);
  }
}

/** What one cluster's endpoints are resolved against. */
export interface ResolverContext {
  cluster: string;
  servicesByNs: Map<string, ServiceInfo[]>;
  serviceByName: Map<string, ServiceInfo>;
  /** Hosts ServiceEntries name → their external node. */
  externalHosts: Map<string, string>;
  /** `*.suffix` hosts of ServiceEntries, as [`.suffix`, node id]. */
  externalWildcards: Array<[string, string]>;
  /** Gateway API Gateways without a workload: `namespace/name` → their gateway node. */
  gatewayResourceIds: Map<string, string>;
  workloadsMatching(
    namespace: string | undefined,
    selector: Record<string, string>,
  ): WorkloadInfo[];
}

/**
 * Turns the adapters' rule endpoints (hosts as the mesh reads them, Services, workload selectors,
 * external services) into node ids of one cluster, adding an external node for a host nothing in
 * the cluster serves. Results are cached per endpoint: many routes name the same hosts.
 */
export function createEndpointResolver(
  graph: GraphBuilder,
  ctx: ResolverContext,
): (end: TopologyEndpoint) => string[] {
  const {
    cluster,
    servicesByNs,
    serviceByName,
    externalHosts,
    externalWildcards,
    gatewayResourceIds,
    workloadsMatching,
  } = ctx;

  const externalNode = (host: string, reason?: string): string => {
    const id = nodeId(cluster, 'external', undefined, host);
    if (!graph.nodes.has(id)) {
      graph.nodes.set(id, {
        id,
        kind: 'external',
        cluster,
        name: host,
        hosts: [host],
        health: 'unknown',
        ...(reason ? { healthReason: reason } : {}),
      });
    }
    return id;
  };

  const narrow = (
    svc: ServiceInfo,
    subsetLabels: Record<string, string> | undefined,
  ): string[] => {
    if (!subsetLabels || !Object.keys(subsetLabels).length) return [svc.id];
    const matched = svc.workloads.filter(w =>
      mapMatches(subsetLabels, w.templateLabels),
    );
    return matched.length ? matched.map(w => w.id!) : [svc.id];
  };

  const resolveHost = (
    host: string,
    namespace: string,
    subsetLabels?: Record<string, string>,
  ): string[] => {
    const h = host.toLowerCase().replace(/\.$/, '');
    if (h.startsWith('*')) {
      const suffix = h.slice(1);
      // `*.ns.svc.cluster.local` looks in one namespace; other wildcards scan the Services.
      const nsMatch = new RegExp(
        `^\\.([a-z0-9-]+)\\.svc\\.${CLUSTER_DOMAIN.replace(/\./g, '\\.')}$`,
      ).exec(suffix);
      const candidates = nsMatch
        ? servicesByNs.get(nsMatch[1]) ?? []
        : [...serviceByName.values()];
      const matched = candidates.filter(s =>
        serviceFqdn(s.name, s.namespace).endsWith(suffix),
      );
      if (matched.length) return matched.flatMap(s => narrow(s, subsetLabels));
      return [externalHosts.get(h) ?? externalNode(h)];
    }
    const named = hostServiceName(h, namespace);
    const svc = named
      ? serviceByName.get(`${named.namespace}/${named.name}`)
      : undefined;
    if (svc) return narrow(svc, subsetLabels);
    const known = externalHosts.get(h);
    if (known) return [known];
    const wildcard = externalWildcards.find(([suffix]) => h.endsWith(suffix));
    if (wildcard) return [wildcard[1]];
    // A short name stands for a Service of the namespace that does not exist.
    return [
      externalNode(
        named && !h.includes('.')
          ? serviceFqdn(named.name, named.namespace)
          : h,
      ),
    ];
  };

  const resolve = (end: TopologyEndpoint): string[] => {
    switch (end.type) {
      case 'host':
        return resolveHost(end.host, end.namespace, end.subsetLabels);
      case 'service': {
        const svc = serviceByName.get(`${end.namespace}/${end.name}`);
        if (svc) return narrow(svc, end.subsetLabels);
        return [
          externalNode(
            serviceFqdn(end.name, end.namespace),
            `no Service ${end.name} in namespace ${end.namespace}`,
          ),
        ];
      }
      case 'workloads': {
        const ids = workloadsMatching(end.namespace, end.selector).map(
          w => w.id!,
        );
        if (ids.length) return ids;
        const gatewayName = end.selector[GATEWAY_NAME_LABEL];
        const resourceId =
          gatewayName !== undefined && end.namespace !== undefined
            ? gatewayResourceIds.get(`${end.namespace}/${gatewayName}`)
            : undefined;
        return resourceId ? [resourceId] : [];
      }
      case 'external':
        return [nodeId(cluster, 'external', end.namespace, end.name)];
      default:
        return [];
    }
  };

  const resolved = new Map<string, string[]>();
  const cachedResolve = (end: TopologyEndpoint) => {
    const key = endpointKey(end);
    let ids = resolved.get(key);
    if (!ids) {
      ids = resolve(end);
      resolved.set(key, ids);
    }
    return ids;
  };
  return cachedResolve;
}
