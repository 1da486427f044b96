import type {
  MeshTrafficLabels,
  MeshTrafficMetrics,
  MeshTrafficQueryOptions,
} from '@meshstage/plugin-mesh-node';

const REQUESTS = 'istio_requests_total';
const DURATION_BUCKETS = 'istio_request_duration_milliseconds_bucket';

const LABELS: MeshTrafficLabels = {
  sourceNamespace: 'source_workload_namespace',
  sourceWorkload: 'source_workload',
  destinationNamespace: 'destination_workload_namespace',
  destinationWorkload: 'destination_workload',
  destinationService: 'destination_service_name',
};

/**
 * Istio reports every request twice when both ends run a proxy: the client's proxy with
 * `reporter="source"`, the server's with `reporter="destination"` (in ambient mode the waypoint
 * reports with `reporter="waypoint"`, the destination pod has no L7 proxy). Summing every reporter
 * counts a request twice, so each edge takes one side:
 *
 * - the server side (`destination`/`waypoint`) when it reported the edge: it sees callers outside
 *   the mesh (`source_workload="unknown"`) and counts what the destination served;
 * - otherwise the client side (`source`): destinations without a proxy, hosts outside the cluster
 *   (ServiceEntry, passthrough), and requests that never reached the destination.
 *
 * The choice is made per edge inside PromQL (`or` / `unless on(<edge labels>)`), and errors and
 * latencies follow the side that gave the edge's rate, so that the error ratio never mixes sides.
 * Kiali's graph makes the same split (kiali/kiali#3680).
 */
const SERVER_SIDE = 'reporter=~"destination|waypoint"';
const CLIENT_SIDE = 'reporter="source"';

/** Istio's failures: 5xx, and gRPC calls with a non-OK status (1-16) whose HTTP status is not 5xx. */
const HTTP_5XX = 'response_code=~"5.."';
const GRPC_FAILURE =
  'response_code!~"5..",grpc_response_status=~"[1-9]|1[0-6]"';

function edgeLabels(options?: MeshTrafficQueryOptions): string[] {
  return [
    LABELS.sourceNamespace,
    LABELS.sourceWorkload,
    LABELS.destinationNamespace,
    LABELS.destinationWorkload,
    LABELS.destinationService!,
    ...(options?.by ?? []),
  ];
}

function selector(metric: string, ...matchers: Array<string | undefined>) {
  return `${metric}{${matchers.filter(m => m).join(',')}}`;
}

/**
 * `sum by (<by>) (rate(...))` over one side, for each of `filters` (alternative matchers whose
 * series are disjoint, e.g. 5xx and gRPC failures), combined with `or`.
 */
function sideRate(
  metric: string,
  side: string,
  filters: Array<string | undefined>,
  window: string,
  by: string[],
  options?: MeshTrafficQueryOptions,
): string {
  const rates = filters
    .map(
      f => `rate(${selector(metric, side, f, options?.matchers)}[${window}])`,
    )
    .join(' or ');
  return `sum by (${by.join(', ')}) (${rates})`;
}

/**
 * The server side's figures, and the client side's for the edges the server side did not report.
 */
function perEdge(
  metric: string,
  filters: Array<string | undefined>,
  window: string,
  extraBy: string[],
  options?: MeshTrafficQueryOptions,
): string {
  const edge = edgeLabels(options);
  const by = [...edge, ...extraBy];
  const server = sideRate(metric, SERVER_SIDE, filters, window, by, options);
  const client = sideRate(metric, CLIENT_SIDE, filters, window, by, options);
  const serverEdges = sideRate(
    REQUESTS,
    SERVER_SIDE,
    [undefined],
    window,
    edge,
    options,
  );
  return `(${server}) or (${client} unless on (${edge.join(
    ', ',
  )}) ${serverEdges})`;
}

/**
 * Istio's standard metrics (`istio_requests_total`, `istio_request_duration_milliseconds`) as
 * per-edge PromQL, workload to workload, one reporter per edge (see {@link SERVER_SIDE}).
 * @public
 */
export const istioTrafficMetrics: MeshTrafficMetrics = {
  labels: LABELS,
  requestRate(window, options) {
    return perEdge(REQUESTS, [undefined], window, [], options);
  },
  errorRate(window, options) {
    return perEdge(REQUESTS, [HTTP_5XX, GRPC_FAILURE], window, [], options);
  },
  latencyQuantile(q, window, options) {
    return `histogram_quantile(${q}, ${perEdge(
      DURATION_BUCKETS,
      [undefined],
      window,
      ['le'],
      options,
    )})`;
  },
};
