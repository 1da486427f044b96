import type {
  TopologyEdge,
  TopologyEdgeKind,
  TopologyEdgeRule,
  TopologyHealth,
  TopologyNode,
  TopologyTraffic,
} from '@meshstage/plugin-mesh-common';
import type {
  KubeDeployment,
  KubePod,
  MeshAdapter,
  TopologyConfigEdge,
  TopologyEndpoint,
} from '@meshstage/plugin-mesh-node';
import {
  requirementsMatch,
  selectorMatches,
} from '@meshstage/plugin-mesh-node';
import { podMeshStatus } from '../status/podMeshStatus';
import type { TrafficEdgeSample } from './traffic/types';
import { type TopologyEntity, refKey } from './entities';
import { GATEWAY_NAME_LABEL, gatewayApiEdges } from './gatewayApi';
import { equalityPairs, LabelIndex, mapMatches } from './labelSelector';
import type { ClusterSnapshot } from './snapshot';

/** The DNS domain of Services (`<name>.<namespace>.svc.<domain>`). */
export const CLUSTER_DOMAIN = 'cluster.local';
/** Hops out from the entity when the request names none. */
export const DEFAULT_DEPTH = 1;
export const MAX_DEPTH = 5;
/** Nodes per graph when the request names no limit, and the most it may ask for. */
export const DEFAULT_NODE_LIMIT = 2000;
export const MAX_NODE_LIMIT = 5000;
/** Error ratio from which an edge is failing (any error below it: degraded). */
export const FAILING_ERROR_RATIO = 0.05;

/** What a graph is asked for. */
export type TopologyScopeInput =
  | { type: 'entity'; entityRef: string; depth: number }
  | { type: 'cluster'; cluster: string; namespace?: string };

/** Everything the graph is built from; no I/O happens past this point. */
export interface BuildTopologyInput {
  /** The clusters that could be read. */
  snapshots: ClusterSnapshot[];
  adapters: MeshAdapter[];
  /** Catalog entities tied to workloads (ownership and `dependsOn`). */
  entities: TopologyEntity[];
  traffic?: TrafficEdgeSample[];
  scope: TopologyScopeInput;
  /** Most nodes in the answer. */
  limit: number;
}

/** The graph's nodes and edges, before the caller adds scope, traffic source and errors. */
export interface BuiltTopology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  truncated?: { nodes: number; limit: number };
}

// When one pair of nodes is connected for several reasons, the edge keeps the strongest kind.
const KIND_RANK: Record<TopologyEdgeKind, number> = {
  selects: 0,
  declared: 1,
  calls: 2,
  routes: 3,
};

interface EdgeAcc {
  edge: TopologyEdge;
  rps: number;
  errors: number;
  p50?: number;
  p99?: number;
  hasTraffic: boolean;
}

interface WorkloadInfo {
  obj: KubeDeployment;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  templateLabels: Record<string, string>;
  gateway: boolean;
  id?: string;
}

interface ServiceInfo {
  id: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  selector?: Record<string, string>;
  workloads: WorkloadInfo[];
}

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

function nodeId(
  cluster: string,
  kind: TopologyNode['kind'],
  namespace: string | undefined,
  name: string,
): string {
  return `${cluster}/${kind}/${namespace ?? '-'}/${name}`;
}

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

/**
 * Whether two rules say the same. Two adapters (or an adapter and the Gateway API rules) reading
 * the same route agree on it: the source is left out so that it counts once.
 */
function sameRule(a: TopologyEdgeRule, b: TopologyEdgeRule): boolean {
  return (
    a.resource.name === b.resource.name &&
    a.resource.kind === b.resource.kind &&
    a.resource.namespace === b.resource.namespace &&
    a.weight === b.weight &&
    a.subset === b.subset &&
    Boolean(a.mirror) === Boolean(b.mirror) &&
    a.match === b.match
  );
}

/** Ids in code-unit order (stable across locales). */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function trafficHealth(traffic: TopologyTraffic | undefined): TopologyHealth {
  if (!traffic) return 'unknown';
  if (traffic.errorRatio >= FAILING_ERROR_RATIO) return 'failing';
  if (traffic.errorRatio > 0) return 'degraded';
  return 'healthy';
}

function selectorPairs(
  selector: Record<string, string>,
): Array<[string, string]> {
  return Object.entries(selector);
}

class GraphBuilder {
  readonly nodes = new Map<string, TopologyNode>();
  readonly edges = new Map<string, EdgeAcc>();
  /** `service id -> workload id` pairs of a Service and a workload it selects (0 hops apart). */
  readonly selectPairs = new Set<string>();
  /** Workload id → the Services that select it. */
  readonly selectedBy = new Map<string, string[]>();
  /** `cluster/namespace/name` of a workload → its node id. */
  readonly workloadIds = new Map<string, string>();
  readonly serviceInfos = new Map<string, ServiceInfo>();
  /** Per cluster: workloads by their labels and their pod template's (ownership). */
  readonly ownerIndexes = new Map<string, LabelIndex<string>>();
  /** Entity ref key → the nodes its selector matches (every match, not only the winner's). */
  readonly entityNodes = new Map<string, string[]>();
  readonly proxyAdapters: MeshAdapter[];

  constructor(
    private readonly adapters: MeshAdapter[],
    /** Label keys the entities' selectors look nodes up by. */
    private readonly ownerKeys: ReadonlySet<string>,
  ) {
    this.proxyAdapters = adapters;
  }

  addCluster(snapshot: ClusterSnapshot) {
    const cluster = snapshot.cluster;

    // Routing configuration: every adapter's rules and the Gateway API routes.
    const configEdges: TopologyConfigEdge[] = [];
    for (const adapter of this.adapters) {
      if (!adapter.topology) continue;
      try {
        configEdges.push(...adapter.topology.edges(snapshot.routing));
      } catch {
        // One adapter's faulty rule must not cost the graph; its edges are missing.
      }
    }
    configEdges.push(...gatewayApiEdges(snapshot.routing));
    const gatewaySelectors = this.adapters.flatMap(
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
      podIndex.add(
        pod,
        pod.metadata.namespace ?? '',
        pod.metadata.labels ?? {},
      );
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
    const ownerIndex = new LabelIndex<string>(this.ownerKeys);
    this.ownerIndexes.set(cluster, ownerIndex);
    for (const w of workloads) {
      const node = this.workloadNode(cluster, w, podIndex);
      w.id = node.id;
      this.nodes.set(node.id, node);
      this.workloadIds.set(`${cluster}/${w.namespace}/${w.name}`, node.id);
      this.own(ownerIndex, node.id, w.namespace, w.labels, w.templateLabels);
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
        workloadsMatching(ns, { [GATEWAY_NAME_LABEL]: obj.metadata.name })
          .length
      ) {
        continue;
      }
      const id = nodeId(cluster, 'gateway', ns, obj.metadata.name);
      this.nodes.set(id, {
        id,
        kind: 'gateway',
        cluster,
        namespace: ns,
        name: obj.metadata.name,
        health: 'unknown',
        healthReason: `no workload carries the label ${GATEWAY_NAME_LABEL}=${obj.metadata.name}`,
      });
      gatewayResourceIds.set(`${ns}/${obj.metadata.name}`, id);
      this.own(ownerIndex, id, ns, obj.metadata.labels ?? {});
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
      this.nodes.set(info.id, {
        id: info.id,
        kind: 'service',
        cluster,
        namespace,
        name,
        health,
        ...(healthReason ? { healthReason } : {}),
      });
      this.serviceInfos.set(info.id, info);
      serviceByName.set(`${namespace}/${name}`, info);
      const list = servicesByNs.get(namespace);
      if (list) list.push(info);
      else servicesByNs.set(namespace, [info]);
      this.own(ownerIndex, info.id, namespace, info.labels);
      for (const w of info.workloads) {
        this.addEdge(info.id, w.id!, 'selects', {
          source: 'kubernetes',
          resource: { apiVersion: 'v1', kind: 'Service', namespace, name },
        });
        this.selectPairs.add(`${info.id}->${w.id}`);
        const by = this.selectedBy.get(w.id!);
        if (by) by.push(info.id);
        else this.selectedBy.set(w.id!, [info.id]);
      }
    }

    // Hosts the meshes know as external (ServiceEntries), before any host is resolved.
    const externalHosts = new Map<string, string>();
    const externalWildcards: Array<[string, string]> = [];
    for (const e of configEdges) {
      for (const end of [e.from, e.to]) {
        if (end.type !== 'external') continue;
        const id = nodeId(cluster, 'external', end.namespace, end.name);
        if (!this.nodes.has(id)) {
          this.nodes.set(id, {
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

    const externalNode = (host: string, reason?: string): string => {
      const id = nodeId(cluster, 'external', undefined, host);
      if (!this.nodes.has(id)) {
        this.nodes.set(id, {
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
        if (matched.length)
          return matched.flatMap(s => narrow(s, subsetLabels));
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

    // Resolution is cached per endpoint: many routes name the same hosts.
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
    for (const e of configEdges) {
      const from = cachedResolve(e.from);
      const to = cachedResolve(e.to);
      for (const f of from) {
        for (const t of to) this.addEdge(f, t, 'routes', e.rule);
      }
    }
  }

  private workloadNode(
    cluster: string,
    w: WorkloadInfo,
    podIndex: LabelIndex<KubePod>,
  ): TopologyNode {
    const spec = w.obj.spec ?? {};
    const selector = spec.selector as
      | {
          matchLabels?: Record<string, string>;
          matchExpressions?: Array<{
            key: string;
            operator: string;
            values?: string[];
          }>;
        }
      | undefined;
    const pods = selector
      ? podIndex
          .candidates(w.namespace, selectorPairs(selector.matchLabels ?? {}))
          .filter(p => selectorMatches(selector, p.metadata.labels ?? {}))
      : [];
    let ready = 0;
    let meshed = 0;
    let mesh: string | undefined;
    let meshVersion: string | undefined;
    const sorted = [...pods].sort((a, b) =>
      compareIds(a.metadata.name, b.metadata.name),
    );
    for (const pod of sorted) {
      const status = podMeshStatus(pod, this.proxyAdapters);
      if (status.ready) ready++;
      if (status.mesh) {
        meshed++;
        if (!mesh) {
          mesh = status.mesh;
          meshVersion = status.proxyVersion;
        }
      }
    }
    const total = pods.length;
    let desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
    if (w.obj.kind === 'DaemonSet') {
      desired =
        (w.obj.status?.desiredNumberScheduled as number | undefined) ?? total;
    }
    let health: TopologyHealth = 'healthy';
    let healthReason: string | undefined;
    const expected = Math.max(desired, total);
    if (desired > 0 && ready === 0) {
      health = 'failing';
      healthReason =
        total === 0
          ? `no pods (${desired} desired)`
          : `0 of ${expected} pods ready`;
    } else if (ready < expected) {
      health = 'degraded';
      healthReason = `${ready} of ${expected} pods ready`;
    }
    const kind = w.gateway ? 'gateway' : 'workload';
    const version =
      w.templateLabels.version ??
      w.templateLabels['app.kubernetes.io/version'] ??
      w.labels.version ??
      w.labels['app.kubernetes.io/version'];
    // Properties assigned one by one: spreads would allocate an object each, per node.
    const node: TopologyNode = {
      id: nodeId(cluster, kind, w.namespace, w.name),
      kind,
      cluster,
      namespace: w.namespace,
      name: w.name,
      workloadKind: w.obj.kind,
      health,
    };
    if (version) node.version = version;
    if (mesh) node.mesh = mesh;
    if (meshVersion) node.meshVersion = meshVersion;
    node.pods = { total, ready, meshed };
    node.health = health;
    if (healthReason) node.healthReason = healthReason;
    return node;
  }

  addEdge(
    source: string,
    target: string,
    kind: TopologyEdgeKind,
    rule?: TopologyEdgeRule,
  ): EdgeAcc | undefined {
    if (source === target) return undefined;
    const id = `${source}->${target}`;
    let acc = this.edges.get(id);
    if (!acc) {
      acc = {
        edge: { id, source, target, kind, rules: [], health: 'unknown' },
        rps: 0,
        errors: 0,
        hasTraffic: false,
      };
      this.edges.set(id, acc);
    } else if (KIND_RANK[kind] > KIND_RANK[acc.edge.kind]) {
      acc.edge.kind = kind;
    }
    if (rule && !acc.edge.rules.some(r => sameRule(r, rule))) {
      acc.edge.rules.push(rule);
    }
    return acc;
  }

  /** Ties nodes to the entities whose label selector (and namespace, cluster) matches them. */
  addOwnership(entities: TopologyEntity[]) {
    for (const entity of entities) {
      const matched: string[] = [];
      const pairs = equalityPairs(entity.selector);
      for (const [cluster, index] of this.ownerIndexes) {
        if (entity.cluster && entity.cluster !== cluster) continue;
        for (const id of index.candidates(entity.namespace, pairs)) {
          const labels = this.nodeLabels(id);
          if (labels.some(l => requirementsMatch(entity.selector, l))) {
            matched.push(id);
          }
        }
      }
      const key = refKey(entity.entityRef);
      this.entityNodes.set(key, [
        ...(this.entityNodes.get(key) ?? []),
        ...matched,
      ]);
      for (const id of matched) {
        const node = this.nodes.get(id)!;
        // The first entity wins a node two selectors match.
        if (!node.entityRef) node.entityRef = entity.entityRef;
      }
    }
  }

  /** Labels a node can be owned by (a workload's own and its pod template's). */
  private readonly labelsById = new Map<
    string,
    Array<Record<string, string>>
  >();
  private nodeLabels(id: string): Array<Record<string, string>> {
    return this.labelsById.get(id) ?? [];
  }

  /** Indexes a node for ownership by its label sets. */
  private own(
    index: LabelIndex<string>,
    id: string,
    namespace: string,
    ...labelSets: Array<Record<string, string>>
  ) {
    index.add(id, namespace, ...labelSets);
    this.labelsById.set(id, labelSets);
  }

  /**
   * `declared` edges from the workloads of each entity to the Services of each entity it depends
   * on (to its workloads when it has no Service), within one cluster.
   */
  addDeclaredEdges(entities: TopologyEntity[]) {
    for (const entity of entities) {
      if (!entity.dependsOn.length) continue;
      const own = this.entityNodes.get(refKey(entity.entityRef)) ?? [];
      const callers = own
        .map(id => this.nodes.get(id)!)
        .filter(n => n.kind === 'workload' || n.kind === 'gateway');
      if (!callers.length) continue;
      const rule: TopologyEdgeRule = {
        source: 'catalog',
        resource: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: entityKind(entity.entityRef),
          namespace: entityNamespace(entity.entityRef),
          name: entityName(entity.entityRef),
        },
      };
      for (const dep of entity.dependsOn) {
        const depNodes = (this.entityNodes.get(refKey(dep)) ?? []).map(
          id => this.nodes.get(id)!,
        );
        const services = depNodes.filter(n => n.kind === 'service');
        const targets = services.length
          ? services
          : depNodes.filter(n => n.kind === 'workload' || n.kind === 'gateway');
        for (const caller of callers) {
          for (const target of targets) {
            if (target.cluster !== caller.cluster) continue;
            this.addEdge(caller.id, target.id, 'declared', rule);
          }
        }
      }
    }
  }

  /** Puts observed traffic on the configuration's path, or on `calls` edges of its own. */
  addTraffic(samples: TrafficEdgeSample[]) {
    for (const sample of samples) {
      const src = this.workloadIds.get(
        `${sample.cluster}/${sample.source.namespace}/${sample.source.workload}`,
      );
      if (!src) continue;
      const dst = this.workloadIds.get(
        `${sample.cluster}/${sample.destination.namespace}/${sample.destination.workload}`,
      );
      let svc: string | undefined;
      if (sample.destinationService) {
        const named = hostServiceName(
          sample.destinationService,
          sample.destination.namespace,
        );
        const id = named
          ? nodeId(sample.cluster, 'service', named.namespace, named.name)
          : undefined;
        if (id && this.nodes.has(id)) svc = id;
      }
      const has = (a: string, b: string) => this.edges.has(`${a}->${b}`);
      let services: string[] = [];
      if (svc) services = [svc];
      else if (dst) services = this.selectedBy.get(dst) ?? [];
      const viaService = services.find(
        s => has(src, s) && (!dst || has(s, dst)),
      );
      if (viaService) {
        this.addSample(src, viaService, sample.traffic);
        if (dst) this.addSample(viaService, dst, sample.traffic);
      } else if (dst && has(src, dst)) {
        this.addSample(src, dst, sample.traffic);
      } else if (svc) {
        this.addSample(src, svc, sample.traffic);
        if (dst && has(svc, dst)) this.addSample(svc, dst, sample.traffic);
      } else if (dst) {
        this.addSample(src, dst, sample.traffic);
      }
    }
    for (const acc of this.edges.values()) {
      if (!acc.hasTraffic) continue;
      const traffic: TopologyTraffic = {
        requestsPerSecond: acc.rps,
        errorRatio: acc.rps > 0 ? acc.errors / acc.rps : 0,
        ...(acc.p50 !== undefined ? { p50Ms: acc.p50 } : {}),
        ...(acc.p99 !== undefined ? { p99Ms: acc.p99 } : {}),
      };
      acc.edge.traffic = traffic;
      acc.edge.health = trafficHealth(traffic);
    }
  }

  private addSample(source: string, target: string, traffic: TopologyTraffic) {
    // Traffic keeps the kind of a configured edge; a declared one it confirms becomes a call.
    const acc =
      this.edges.get(`${source}->${target}`) ??
      this.addEdge(source, target, 'calls');
    if (!acc) return;
    if (acc.edge.kind === 'declared') acc.edge.kind = 'calls';
    acc.hasTraffic = true;
    acc.rps += traffic.requestsPerSecond;
    acc.errors += traffic.requestsPerSecond * traffic.errorRatio;
    // Percentiles of several series cannot be added: the edge shows the worst.
    if (traffic.p50Ms !== undefined) {
      acc.p50 = Math.max(acc.p50 ?? 0, traffic.p50Ms);
    }
    if (traffic.p99Ms !== undefined) {
      acc.p99 = Math.max(acc.p99 ?? 0, traffic.p99Ms);
    }
  }

  /** The nodes in scope (cut to `limit`) and the edges between them. */
  select(scope: TopologyScopeInput, limit: number): BuiltTopology {
    let chosen: string[];
    const focus = new Set<string>();
    if (scope.type === 'entity') {
      for (const id of this.entityNodes.get(refKey(scope.entityRef)) ?? []) {
        focus.add(id);
      }
      const dist = this.distances([...focus], scope.depth);
      chosen = [...dist.keys()].sort(
        (a, b) =>
          dist.get(a)! - dist.get(b)! ||
          Number(focus.has(b)) - Number(focus.has(a)) ||
          compareIds(a, b),
      );
    } else {
      const inScope = new Set<string>();
      for (const node of this.nodes.values()) {
        if (node.cluster !== scope.cluster) continue;
        if (scope.namespace && node.namespace !== scope.namespace) continue;
        inScope.add(node.id);
      }
      if (scope.namespace) {
        // Hosts outside the cluster have no namespace: those the namespace talks to belong.
        for (const acc of this.edges.values()) {
          const { source, target } = acc.edge;
          for (const [a, b] of [
            [source, target],
            [target, source],
          ]) {
            if (
              inScope.has(a) &&
              this.nodes.get(b)?.kind === 'external' &&
              this.nodes.get(b)?.namespace === undefined
            ) {
              inScope.add(b);
            }
          }
        }
      }
      chosen = [...inScope].sort();
    }
    const total = chosen.length;
    const kept = new Set(chosen.slice(0, limit));
    const nodes = [...kept]
      .sort()
      .map(id =>
        focus.has(id)
          ? { ...this.nodes.get(id)!, focus: true }
          : this.nodes.get(id)!,
      );
    const edges: TopologyEdge[] = [];
    for (const acc of this.edges.values()) {
      if (kept.has(acc.edge.source) && kept.has(acc.edge.target)) {
        edges.push(acc.edge);
      }
    }
    edges.sort((a, b) => compareIds(a.id, b.id));
    return {
      nodes,
      edges,
      ...(total > limit ? { truncated: { nodes: total, limit } } : {}),
    };
  }

  /**
   * Hops from the focus nodes over edges in both directions, up to `depth`; a Service and a
   * workload it selects are 0 hops apart (a 0-1 breadth-first search).
   */
  private distances(start: string[], depth: number): Map<string, number> {
    const adjacency = new Map<string, Array<[string, number]>>();
    const link = (a: string, b: string, cost: number) => {
      const list = adjacency.get(a);
      if (list) list.push([b, cost]);
      else adjacency.set(a, [[b, cost]]);
    };
    for (const [id, acc] of this.edges) {
      const cost = this.selectPairs.has(id) ? 0 : 1;
      link(acc.edge.source, acc.edge.target, cost);
      link(acc.edge.target, acc.edge.source, cost);
    }
    const dist = new Map<string, number>();
    // By levels: 0-cost neighbours join the level being walked, 1-cost ones the next.
    let level: string[] = [];
    for (const id of start) {
      dist.set(id, 0);
      level.push(id);
    }
    for (let d = 0; d <= depth && level.length; d++) {
      const next: string[] = [];
      for (let i = 0; i < level.length; i++) {
        const id = level[i];
        if (dist.get(id)! < d) continue; // reached more cheaply already
        for (const [neighbour, cost] of adjacency.get(id) ?? []) {
          const nd = d + cost;
          if (nd > depth) continue;
          const known = dist.get(neighbour);
          if (known !== undefined && known <= nd) continue;
          dist.set(neighbour, nd);
          if (cost === 0) level.push(neighbour);
          else next.push(neighbour);
        }
      }
      level = next;
    }
    return dist;
  }
}

function entityKind(ref: string): string {
  const colon = ref.indexOf(':');
  const kind = colon < 0 ? 'component' : ref.slice(0, colon);
  return kind.charAt(0).toLocaleUpperCase('en-US') + kind.slice(1);
}
function entityNamespace(ref: string): string {
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  return slash < 0 ? 'default' : ref.slice(colon + 1, slash);
}
function entityName(ref: string): string {
  return ref.slice(ref.indexOf('/') + 1);
}

/** Builds the graph. Pure: the same input gives the same graph (nodes and edges sorted by id). */
export function buildTopology(input: BuildTopologyInput): BuiltTopology {
  const ownerKeys = new Set<string>();
  for (const entity of input.entities) {
    for (const [key] of equalityPairs(entity.selector)) ownerKeys.add(key);
  }
  const graph = new GraphBuilder(input.adapters, ownerKeys);
  for (const snapshot of input.snapshots) graph.addCluster(snapshot);
  graph.addOwnership(input.entities);
  graph.addDeclaredEdges(input.entities);
  graph.addTraffic(input.traffic ?? []);
  return graph.select(input.scope, input.limit);
}
