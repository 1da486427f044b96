/**
 * The topology graph (`GET /api/mesh/topology`): workloads, services, external hosts and gateways,
 * with edges from routing configuration and, when a metrics source is configured, from observed
 * traffic. Plain JSON shapes shared by backend and frontend.
 */

/** What a node stands for. @public */
export type TopologyNodeKind =
  /** A Deployment, StatefulSet or DaemonSet (`workloadKind` says which). */
  | 'workload'
  /** A Kubernetes Service. */
  | 'service'
  /** A mesh ingress or egress gateway (its workload), or a Gateway API Gateway. */
  | 'gateway'
  /** A host outside the cluster: a ServiceEntry host, or an unknown destination seen in traffic. */
  | 'external';

/** Health of a node or an edge, worst first. @public */
export type TopologyHealth = 'failing' | 'degraded' | 'healthy' | 'unknown';

/** The pods behind a workload node, counted. @public */
export interface TopologyPods {
  total: number;
  ready: number;
  /** Pods running a mesh proxy. */
  meshed: number;
}

/** One node of the graph. @public */
export interface TopologyNode {
  /**
   * Stable id, unique in the graph: `<cluster>/<kind>/<namespace>/<name>` (`external` nodes use
   * the host as name and no namespace: `<cluster>/external/-/<host>`).
   */
  id: string;
  kind: TopologyNodeKind;
  cluster: string;
  namespace?: string;
  name: string;
  /** For workloads and gateways: `Deployment`, `StatefulSet`, `DaemonSet`. */
  workloadKind?: string;
  /** The workload's `version` (or `app.kubernetes.io/version`) label, e.g. `v2`. */
  version?: string;
  /** The mesh whose proxy the workload's pods run (the first, when pods disagree). */
  mesh?: string;
  /** That proxy's version. */
  meshVersion?: string;
  pods?: TopologyPods;
  health: TopologyHealth;
  /** Why the health is not `healthy`, for people. */
  healthReason?: string;
  /** The catalog entity that owns the node (matched by the Kubernetes plugin's annotations). */
  entityRef?: string;
  /** For `external` nodes and ServiceEntry-backed ones: the hosts it stands for. */
  hosts?: string[];
  /** True for the nodes of the entity the graph was asked for. */
  focus?: boolean;
}

/** A piece of configuration that makes an edge, e.g. one route of a VirtualService. @public */
export interface TopologyEdgeRule {
  /** The adapter whose rules found it (`istio`, `linkerd`), or `kubernetes` for selectors. */
  source: string;
  resource: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  };
  /** Percent of the route's traffic (VirtualService/HTTPRoute weights); absent means all. */
  weight?: number;
  /** DestinationRule subset the route sends to. */
  subset?: string;
  /** The edge is a mirror (shadow traffic), not a route. */
  mirror?: boolean;
  /** A one-line summary of the match, for people (`uri prefix /api`, `header end-user=jason`). */
  match?: string;
}

/** Traffic observed on an edge over the graph's window. @public */
export interface TopologyTraffic {
  requestsPerSecond: number;
  /** Failed requests (5xx, or gRPC errors) over all requests, 0 to 1. */
  errorRatio: number;
  /** Latency percentiles in milliseconds; absent when the histogram has no samples. */
  p50Ms?: number;
  p99Ms?: number;
}

/** How an edge came to be. @public */
export type TopologyEdgeKind =
  /** A Service selects the workload's pods. */
  | 'selects'
  /** Routing configuration sends traffic from source to target. */
  | 'routes'
  /** Only observed traffic connects them (no configuration names the pair). */
  | 'calls'
  /**
   * The catalog says the source's entity depends on the target's (`dependsOn`), and neither
   * configuration nor traffic shows the pair.
   */
  | 'declared';

/** One directed edge. @public */
export interface TopologyEdge {
  /** Stable id: `<source id>-><target id>`. */
  id: string;
  source: string;
  target: string;
  kind: TopologyEdgeKind;
  /** Configuration behind the edge (`source: 'catalog'` for a `dependsOn` relation); empty for `calls` edges. */
  rules: TopologyEdgeRule[];
  /** Present when a metrics source reported traffic on this edge. */
  traffic?: TopologyTraffic;
  health: TopologyHealth;
}

/** Where the traffic figures came from, and whether they could be read. @public */
export interface TopologyTrafficSource {
  /** `prometheus` when `mesh.metrics.prometheus` is configured, else `none`. */
  source: 'prometheus' | 'none';
  /** The window the rates and percentiles cover, e.g. `5m`. */
  window?: string;
  /** Set when the source failed: the graph then has configuration edges only. */
  error?: string;
}

/** What the graph was asked for. @public */
export interface TopologyScope {
  /** The entity whose neighbourhood this is. */
  entityRef?: string;
  cluster?: string;
  namespace?: string;
  /** Hops out from the entity's nodes (entity scope only). */
  depth?: number;
}

/** The answer of `GET /topology`. @public */
export interface TopologyGraph {
  scope: TopologyScope;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  traffic: TopologyTrafficSource;
  /** Clusters that could not be read; their nodes are missing. */
  clusterErrors: Array<{ cluster: string; message: string }>;
  /** Set when nodes or edges were left out to stay within the server's limit. */
  truncated?: { nodes: number; limit: number };
  generatedAt: string;
}
