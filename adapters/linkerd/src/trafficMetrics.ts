import type {
  MeshTrafficLabels,
  MeshTrafficMetrics,
  MeshTrafficQueryOptions,
} from '@meshstage/plugin-mesh-node';

const RESPONSES = 'response_total';
const LATENCY_BUCKETS = 'response_latency_ms_bucket';

/**
 * Linkerd names a pod's owner with one label per kind (`deployment`, `statefulset`, `daemonset`
 * on the caller's side, from the scrape's pod labels; `dst_deployment`, ... from the destination's
 * metadata). The queries fold each set into one synthesized label, `src_workload` and
 * `dst_workload`, with `label_replace`.
 */
const WORKLOAD_KINDS = ['deployment', 'statefulset', 'daemonset'];
const SOURCE_WORKLOAD = 'src_workload';
const DESTINATION_WORKLOAD = 'dst_workload';

const LABELS: MeshTrafficLabels = {
  sourceNamespace: 'namespace',
  sourceWorkload: SOURCE_WORKLOAD,
  destinationNamespace: 'dst_namespace',
  destinationWorkload: DESTINATION_WORKLOAD,
  destinationService: 'dst_service',
};

/**
 * Only the caller's proxy counts a request (`direction="outbound"`): the destination's proxy
 * reports the same request as `inbound`, so taking one direction counts it once, and the outbound
 * side knows both ends (its own pod labels and the `dst_*` labels of the endpoint it picked).
 */
const OUTBOUND = 'direction="outbound"';
const FAILURE = 'classification="failure"';

function selector(metric: string, ...matchers: Array<string | undefined>) {
  return `${metric}{${matchers.filter(m => m).join(',')}}`;
}

/** Folds `<prefix><kind>` labels into `target` (the first kind present wins; pods have one). */
function foldWorkload(expr: string, target: string, prefix: string): string {
  return WORKLOAD_KINDS.reduce(
    (inner, kind) =>
      `label_replace(${inner}, "${target}", "$1", "${prefix}${kind}", "(.+)")`,
    expr,
  );
}

function perEdge(
  metric: string,
  filter: string | undefined,
  window: string,
  extraBy: string[],
  options?: MeshTrafficQueryOptions,
): string {
  const extra = [...(options?.by ?? []), ...extraBy];
  // Aggregate first by the raw labels (few series), then fold and aggregate by the edge.
  const raw = [
    'namespace',
    ...WORKLOAD_KINDS,
    'dst_namespace',
    ...WORKLOAD_KINDS.map(kind => `dst_${kind}`),
    'dst_service',
    ...extra,
  ];
  const edge = [
    LABELS.sourceNamespace,
    SOURCE_WORKLOAD,
    LABELS.destinationNamespace,
    DESTINATION_WORKLOAD,
    LABELS.destinationService!,
    ...extra,
  ];
  const rates = `sum by (${raw.join(', ')}) (rate(${selector(
    metric,
    OUTBOUND,
    filter,
    options?.matchers,
  )}[${window}]))`;
  const folded = foldWorkload(
    foldWorkload(rates, SOURCE_WORKLOAD, ''),
    DESTINATION_WORKLOAD,
    'dst_',
  );
  return `sum by (${edge.join(', ')}) (${folded})`;
}

/**
 * Linkerd's proxy metrics (`response_total`, `response_latency_ms`) as per-edge PromQL, workload
 * to workload, from the callers' outbound side (see {@link OUTBOUND}). Failures are Linkerd's own
 * response classification (5xx and gRPC errors).
 * @public
 */
export const linkerdTrafficMetrics: MeshTrafficMetrics = {
  labels: LABELS,
  requestRate(window, options) {
    return perEdge(RESPONSES, undefined, window, [], options);
  },
  errorRate(window, options) {
    return perEdge(RESPONSES, FAILURE, window, [], options);
  },
  latencyQuantile(q, window, options) {
    return `histogram_quantile(${q}, ${perEdge(
      LATENCY_BUCKETS,
      undefined,
      window,
      ['le'],
      options,
    )})`;
  },
};
