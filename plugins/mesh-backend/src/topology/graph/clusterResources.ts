import type { TopologyHealth } from '@meshstage/plugin-mesh-common';
import type { KubePod, TopologyConfigEdge } from '@meshstage/plugin-mesh-node';
import { GATEWAY_NAME_LABEL, gatewayApiEdges } from '../gatewayApi';
import { LabelIndex, mapMatches } from '../labelSelector';
import type { ClusterSnapshot } from '../snapshot';
import { createEndpointResolver } from './endpointResolver';
import type { GraphBuilder } from './GraphBuilder';
import { nodeId } from './ids';
import type { ServiceInfo, WorkloadInfo } from './types';
import { workloadNode } from './workloadNode';

const selectorPairs = (selector: Record<string, string>) =>
  Object.entries(selector);

/**
 * Adds one cluster's resources: workload and gateway nodes (with their pods), Services and the
 * workloads they select, ServiceEntry hosts, and the routing edges every adapter (and the Gateway
 * API rules) derives from the cluster's routing resources. Label look-ups go through indexes
 * holding only the keys some selector uses, so the whole pass is near linear in the resources.
 */
export function addCluster(graph: GraphBuilder, snapshot: ClusterSnapshot) {
  const cluster = snapshot.cluster;

  // Routing configuration: every adapter's rules and the Gateway API routes.
  const configEdges: TopologyConfigEdge[] = [];
  for (const adapter of graph.adapters) {
    if (!adapter.topology) continue;
    try {
      configEdges.push(...adapter.topology.edges(snapshot.routing));
    } catch {
      // One adapter's faulty rule must not cost the graph; its edges are missing.
    }
  }
  configEdges.push(...gatewayApiEdges(snapshot.routing));
  const gatewaySelectors = graph.adapters.flatMap(
    a => a.topology?.gatewaySelectors ?? [],
  );

  // Indexes hold only the label keys that selectors look up: far fewer entries than every label.
  const podKeys = new Set<string>();
  const templateKeys = new Set<string>([GATEWAY_NAME_LABEL]);
  for (const w of snapshot.workloads) {
    const matchLabels = (
      w.spec?.selector as { matchLabels?: Record<string, string> } | undefined
    )?.matchLabels;
    for (const key of Object.keys(matchLabels ?? {})) podKeys.add(key);
  }
  for (const svc of snapshot.services) {
    const selector = (svc.spec as { selector?: Record<string, string> })
      ?.selector;
    for (const key of Object.keys(selector ?? {})) {
      podKeys.add(key);
      templateKeys.add(key);
    }
  }
  for (const s of gatewaySelectors) {
    for (const key of Object.keys(s)) templateKeys.add(key);
  }
  for (const e of configEdges) {
    if (e.from.type === 'workloads') {
      for (const key of Object.keys(e.from.selector)) templateKeys.add(key);
    }
    if (e.to.type === 'workloads') {
      for (const key of Object.keys(e.to.selector)) templateKeys.add(key);
    }
  }

  // Pods by namespace and label, so that each workload finds its pods by a look-up.
  const podIndex = new LabelIndex<KubePod>(podKeys);
  for (const pod of snapshot.pods) {
    podIndex.add(pod, pod.metadata.namespace ?? '', pod.metadata.labels ?? {});
  }

  const workloads: WorkloadInfo[] = snapshot.workloads.map(obj => ({
    obj,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    labels: obj.metadata.labels ?? {},
    templateLabels: obj.spec?.template?.metadata?.labels ?? {},
    gateway: false,
  }));
  const templateIndex = new LabelIndex<WorkloadInfo>(templateKeys);
  for (const w of workloads) {
    templateIndex.add(w, w.namespace, w.templateLabels);
  }
  const workloadsMatching = (
    namespace: string | undefined,
    selector: Record<string, string>,
  ) =>
    templateIndex
      .candidates(namespace, selectorPairs(selector))
      .filter(w => mapMatches(selector, w.templateLabels));

  // Gateways: the meshes' gateway labels, Gateway API's label, and the workloads a gateway
  // endpoint selects (an Istio Gateway's selector).
  for (const w of workloads) {
    if (
      w.templateLabels[GATEWAY_NAME_LABEL] !== undefined ||
      gatewaySelectors.some(s => mapMatches(s, w.templateLabels))
    ) {
      w.gateway = true;
    }
  }
  for (const e of configEdges) {
    for (const end of [e.from, e.to]) {
      if (end.type === 'workloads' && end.gateway) {
        for (const w of workloadsMatching(end.namespace, end.selector)) {
          w.gateway = true;
        }
      }
    }
  }

  // Workload and gateway nodes, with their pods counted.
  const ownerIndex = new LabelIndex<string>(graph.ownerKeys);
  graph.ownerIndexes.set(cluster, ownerIndex);
  for (const w of workloads) {
    const node = workloadNode(cluster, w, podIndex, graph.adapters);
    w.id = node.id;
    graph.nodes.set(node.id, node);
    graph.workloadIds.set(`${cluster}/${w.namespace}/${w.name}`, node.id);
    graph.own(ownerIndex, node.id, w.namespace, w.labels, w.templateLabels);
  }

  // Gateway API Gateways that no workload serves yet still show, as gateway nodes.
  const gatewayResourceIds = new Map<string, string>();
  for (const obj of snapshot.routing) {
    if (
      obj.kind !== 'Gateway' ||
      !obj.apiVersion.startsWith('gateway.networking.k8s.io/')
    ) {
      continue;
    }
    const ns = obj.metadata.namespace ?? 'default';
    if (
      workloadsMatching(ns, { [GATEWAY_NAME_LABEL]: obj.metadata.name }).length
    ) {
      continue;
    }
    const id = nodeId(cluster, 'gateway', ns, obj.metadata.name);
    graph.nodes.set(id, {
      id,
      kind: 'gateway',
      cluster,
      namespace: ns,
      name: obj.metadata.name,
      health: 'unknown',
      healthReason: `no workload carries the label ${GATEWAY_NAME_LABEL}=${obj.metadata.name}`,
    });
    gatewayResourceIds.set(`${ns}/${obj.metadata.name}`, id);
    graph.own(ownerIndex, id, ns, obj.metadata.labels ?? {});
  }

  // Services, and the workloads they select.
  const servicesByNs = new Map<string, ServiceInfo[]>();
  const serviceByName = new Map<string, ServiceInfo>();
  for (const svc of snapshot.services) {
    const namespace = svc.metadata.namespace ?? '';
    const name = svc.metadata.name;
    const selector = (svc.spec as { selector?: Record<string, string> })
      ?.selector;
    const hasSelector = Boolean(selector && Object.keys(selector).length);
    const info: ServiceInfo = {
      id: nodeId(cluster, 'service', namespace, name),
      namespace,
      name,
      labels: svc.metadata.labels ?? {},
      selector: hasSelector ? selector : undefined,
      workloads: hasSelector ? workloadsMatching(namespace, selector!) : [],
    };
    let health: TopologyHealth = 'healthy';
    let healthReason: string | undefined;
    if (!hasSelector) {
      health = 'unknown';
      healthReason = 'no selector: its endpoints are managed elsewhere';
    } else {
      const pods = podIndex
        .candidates(namespace, selectorPairs(selector!))
        .filter(p => mapMatches(selector!, p.metadata.labels ?? {}));
      if (pods.length === 0) {
        health = 'degraded';
        healthReason = 'selects no pods';
      }
    }
    graph.nodes.set(info.id, {
      id: info.id,
      kind: 'service',
      cluster,
      namespace,
      name,
      health,
      ...(healthReason ? { healthReason } : {}),
    });
    graph.serviceInfos.set(info.id, info);
    serviceByName.set(`${namespace}/${name}`, info);
    const list = servicesByNs.get(namespace);
    if (list) list.push(info);
    else servicesByNs.set(namespace, [info]);
    graph.own(ownerIndex, info.id, namespace, info.labels);
    for (const w of info.workloads) {
      graph.addEdge(info.id, w.id!, 'selects', {
        source: 'kubernetes',
        resource: { apiVersion: 'v1', kind: 'Service', namespace, name },
      });
      graph.selectPairs.add(`${info.id}->${w.id}`);
      const by = graph.selectedBy.get(w.id!);
      if (by) by.push(info.id);
      else graph.selectedBy.set(w.id!, [info.id]);
    }
  }

  // Hosts the meshes know as external (ServiceEntries), before any host is resolved.
  const externalHosts = new Map<string, string>();
  const externalWildcards: Array<[string, string]> = [];
  for (const e of configEdges) {
    for (const end of [e.from, e.to]) {
      if (end.type !== 'external') continue;
      const id = nodeId(cluster, 'external', end.namespace, end.name);
      if (!graph.nodes.has(id)) {
        graph.nodes.set(id, {
          id,
          kind: 'external',
          cluster,
          namespace: end.namespace,
          name: end.name,
          hosts: [...end.hosts].sort(),
          health: 'unknown',
        });
      }
      for (const host of end.hosts) {
        const h = host.toLowerCase();
        if (h.startsWith('*')) externalWildcards.push([h.slice(1), id]);
        else if (!externalHosts.has(h)) externalHosts.set(h, id);
      }
    }
  }

  const cachedResolve = createEndpointResolver(graph, {
    cluster,
    servicesByNs,
    serviceByName,
    externalHosts,
    externalWildcards,
    gatewayResourceIds,
    workloadsMatching,
  });
  for (const e of configEdges) {
    const from = cachedResolve(e.from);
    const to = cachedResolve(e.to);
    for (const f of from) {
      for (const t of to) graph.addEdge(f, t, 'routes', e.rule);
    }
  }
}
