import type { TopologyTraffic } from '@meshstage/plugin-mesh-common';

/** A workload as a mesh's metrics name it: its namespace and its Deployment (etc.) name. */
export interface TrafficWorkload {
  namespace: string;
  workload: string;
}

/** Traffic from one workload to another over the window, as a metrics source reports it. */
export interface TrafficEdgeSample {
  /** The adapter whose metrics reported it (`istio`, `linkerd`). */
  mesh: string;
  cluster: string;
  source: TrafficWorkload;
  destination: TrafficWorkload;
  /** The destination Service's name, when the mesh records it (Istio's `destination_service_name`). */
  destinationService?: string;
  traffic: TopologyTraffic;
}

/** What the topology builder asks of a metrics source. */
export interface TrafficReadRequest {
  /** The clusters in the graph; a source that serves one cluster answers for it alone. */
  clusters: string[];
  /** Prometheus duration, e.g. `5m`. */
  window: string;
  signal?: AbortSignal;
}

/**
 * Reads per-edge traffic for the topology graph. Rejects with an Error whose message is shown to
 * the user as the graph's traffic notice (the graph then keeps its configuration edges only).
 */
export interface TrafficSource {
  /** Where the figures come from, for the graph's `traffic.source`. */
  readonly kind: 'prometheus';
  /** The window used when the request names none. */
  readonly defaultWindow: string;
  read(request: TrafficReadRequest): Promise<TrafficEdgeSample[]>;
}
