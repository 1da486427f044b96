import type { TopologyTraffic } from '@meshstage/plugin-mesh-common';

/**
 * A workload as a mesh's metrics name it: its namespace and its Deployment (etc.) name. Either is
 * `unknown` when the mesh could not name it: a caller outside the mesh, or a destination that is
 * not a workload of the cluster (an external host: see {@link TrafficEdgeSample.destinationService}).
 */
export interface TrafficWorkload {
  namespace: string;
  workload: string;
}

/**
 * Traffic from one workload to another over the window, as a metrics source reports it. A pair
 * reached through two Services gives one sample per Service.
 */
export interface TrafficEdgeSample {
  /** The adapter whose metrics reported it (`istio`, `linkerd`). */
  mesh: string;
  cluster: string;
  source: TrafficWorkload;
  destination: TrafficWorkload;
  /**
   * The destination Service's name, when the mesh records it (Istio's `destination_service_name`,
   * Linkerd's `dst_service`). For a destination outside the cluster Istio puts the host here.
   */
  destinationService?: string;
  /**
   * Rate and error ratio always; `p50Ms`/`p99Ms` only when the histogram had observations in the
   * window (Prometheus gives NaN otherwise).
   */
  traffic: TopologyTraffic;
}

/** What the topology builder asks of a metrics source. */
export interface TrafficReadRequest {
  /**
   * The clusters in the graph. Samples are returned for these only (and only for those the
   * source serves: `mesh.metrics.prometheus.clusters`).
   */
  clusters: string[];
  /**
   * Prometheus duration, e.g. `5m` (see `isPrometheusDuration`); a malformed one rejects the
   * read with a message saying so.
   */
  window: string;
  signal?: AbortSignal;
}

/**
 * Reads per-edge traffic for the topology graph. Rejects with an Error whose message is shown to
 * the user as the graph's traffic notice (the graph then keeps its configuration edges only); the
 * message names the Prometheus URL, never a credential.
 */
export interface TrafficSource {
  /** Where the figures come from, for the graph's `traffic.source`. */
  readonly kind: 'prometheus';
  /** The window used when the request names none. */
  readonly defaultWindow: string;
  read(request: TrafficReadRequest): Promise<TrafficEdgeSample[]>;
}
