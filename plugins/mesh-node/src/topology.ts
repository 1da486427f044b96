import type { TopologyEdgeRule } from '@meshstage/plugin-mesh-common';
import type { KubeObject, KubeResource } from './kube';

/**
 * One end of an edge as routing configuration names it. The topology builder resolves it to
 * graph nodes (a host to its Service or to an external node, a selector to the workloads whose pod
 * template it matches), so that adapters never look anything up themselves.
 * @public
 */
export type TopologyEndpoint =
  /**
   * A host as written in the mesh's configuration: short name (`reviews`), namespaced
   * (`reviews.bookinfo`), FQDN (`reviews.bookinfo.svc.cluster.local`), wildcard (`*.example.com`)
   * or a host outside the cluster. Short names resolve in `namespace` (the namespace of the
   * resource that names the host), as the meshes do. `subsetLabels` narrows a Service to the
   * workloads whose pod labels also match them (an Istio DestinationRule subset).
   */
  | {
      type: 'host';
      host: string;
      namespace: string;
      subsetLabels?: Record<string, string>;
    }
  /** A Service by name (Gateway API `backendRefs`, Linkerd `parentRefs`). */
  | {
      type: 'service';
      namespace: string;
      name: string;
      subsetLabels?: Record<string, string>;
    }
  /**
   * The workloads whose pod template labels match `selector` (a gateway's `selector`, a policy's
   * `workloadSelector`), in `namespace`, or in every namespace when it is absent.
   */
  | {
      type: 'workloads';
      namespace?: string;
      selector: Record<string, string>;
      /** The workloads are the mesh's gateway (an Istio Gateway's `selector`): gateway nodes. */
      gateway?: boolean;
    }
  /**
   * Hosts outside the cluster that the mesh knows about (an Istio ServiceEntry): one external
   * node named after the resource, carrying the hosts.
   */
  | {
      type: 'external';
      namespace: string;
      name: string;
      hosts: string[];
    };

/** An edge found in routing configuration, before its ends are resolved to nodes. @public */
export interface TopologyConfigEdge {
  from: TopologyEndpoint;
  to: TopologyEndpoint;
  rule: TopologyEdgeRule;
}

/**
 * Label names of the series a mesh's {@link MeshTrafficMetrics} queries return, so that one traffic
 * reader serves every mesh. They are usually the mesh's own metric labels; a mesh whose metrics
 * spread one notion over several labels may synthesize one with `label_replace` (Linkerd's
 * `deployment`/`statefulset`/`daemonset` become one workload label).
 * @public
 */
export interface MeshTrafficLabels {
  sourceNamespace: string;
  sourceWorkload: string;
  destinationNamespace: string;
  destinationWorkload: string;
  /** Label naming the destination Service, when the mesh records it (Istio does). */
  destinationService?: string;
}

/**
 * How a reader narrows and splits a {@link MeshTrafficMetrics} query, for a Prometheus that holds
 * several clusters' metrics apart by a label.
 * @public
 */
export interface MeshTrafficQueryOptions {
  /**
   * PromQL label matchers added to every series selector of the query, comma-separated and
   * without braces, e.g. `cluster=~"east|west"`.
   */
  matchers?: string;
  /** Labels kept in the result beside the {@link MeshTrafficLabels}, e.g. `['cluster']`. */
  by?: string[];
}

/**
 * The PromQL a mesh's standard metrics need for per-edge traffic. Each query returns one series
 * per (source workload, destination workload, destination Service) tuple, summed `by` the
 * {@link MeshTrafficLabels} (and `options.by`), counting every request once (a mesh whose proxies
 * report a request on both sides picks one side per edge). A workload or namespace the mesh could
 * not name (a caller outside the mesh, a host outside the cluster) is `unknown` or absent.
 * `window` is a Prometheus duration such as `5m`.
 * @public
 */
export interface MeshTrafficMetrics {
  labels: MeshTrafficLabels;
  /** Requests per second. */
  requestRate(window: string, options?: MeshTrafficQueryOptions): string;
  /** Failed requests per second (5xx, gRPC errors), with the same labels. */
  errorRate(window: string, options?: MeshTrafficQueryOptions): string;
  /** Latency quantile `q` (0.5, 0.99) in milliseconds, from the mesh's latency histogram. */
  latencyQuantile(
    q: number,
    window: string,
    options?: MeshTrafficQueryOptions,
  ): string;
}

/**
 * How one mesh contributes to the topology graph (`MeshAdapter.topology`).
 * @public
 */
export interface MeshTopologyRules {
  /**
   * The kinds the mesh's routing lives in (VirtualService, HTTPRoute, ...). The builder lists each
   * once per cluster, shared by every adapter; a kind whose CRD is not installed is skipped.
   */
  readonly resources: KubeResource[];
  /**
   * The edges that routing configuration makes. Pure: no I/O. `objects` holds every object of
   * {@link MeshTopologyRules.resources} on the cluster (other kinds may be present too: ignore
   * them).
   */
  edges(objects: KubeObject[]): TopologyConfigEdge[];
  /**
   * Pod template labels that mark a workload as one of the mesh's gateways (e.g. Istio's
   * `istio: ingressgateway`); such workloads become gateway nodes. Each entry matches when all of
   * its labels do.
   */
  readonly gatewaySelectors?: Array<Record<string, string>>;
}
