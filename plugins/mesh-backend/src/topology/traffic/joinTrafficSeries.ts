import type { TopologyTraffic } from '@meshstage/plugin-mesh-common';
import type { MeshTrafficLabels } from '@meshstage/plugin-mesh-node';
import type { PrometheusVectorSample } from './PrometheusClient';
import type { TrafficEdgeSample } from './types';

/** One mesh's four query results, to be joined into edges. */
export interface MeshTrafficSeries {
  mesh: string;
  labels: MeshTrafficLabels;
  requestRate: PrometheusVectorSample[];
  errorRate: PrometheusVectorSample[];
  p50: PrometheusVectorSample[];
  p99: PrometheusVectorSample[];
}

/**
 * The clusters a series belongs to: its cluster label's value when the source reads one (or none
 * when that cluster was not asked for), else every cluster asked for.
 */
export type ClusterOf = (metric: Record<string, string>) => string[];

const UNKNOWN = 'unknown';

function labelValue(metric: Record<string, string>, label: string): string {
  const value = metric[label];
  return value === undefined || value === '' ? UNKNOWN : value;
}

function edgeKey(labels: MeshTrafficLabels, metric: Record<string, string>) {
  return JSON.stringify([
    labelValue(metric, labels.sourceNamespace),
    labelValue(metric, labels.sourceWorkload),
    labelValue(metric, labels.destinationNamespace),
    labelValue(metric, labels.destinationWorkload),
    labels.destinationService ? metric[labels.destinationService] ?? '' : '',
  ]);
}

function byKey(
  clusterKey: (metric: Record<string, string>) => string,
  labels: MeshTrafficLabels,
  series: PrometheusVectorSample[],
): Map<string, number> {
  const map = new Map<string, number>();
  for (const s of series) {
    map.set(`${clusterKey(s.metric)}|${edgeKey(labels, s.metric)}`, s.value);
  }
  return map;
}

function finiteOrUndefined(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/**
 * Joins one mesh's rate, error, p50 and p99 series by their edge labels into samples. The rate
 * series decide which edges exist (an edge whose rate is NaN or infinite is dropped); a missing
 * error series means no failures; NaN or infinite quantiles (no observations in the window) are
 * left out. Missing or empty workload and namespace labels become `unknown`.
 */
export function joinTrafficSeries(
  series: MeshTrafficSeries,
  clusterOf: ClusterOf,
): TrafficEdgeSample[] {
  const { labels } = series;
  // The cluster part of the join key: the series' own clusters (one with a cluster label).
  const clusterKey = (metric: Record<string, string>) =>
    clusterOf(metric).join(',');
  const errors = byKey(clusterKey, labels, series.errorRate);
  const p50 = byKey(clusterKey, labels, series.p50);
  const p99 = byKey(clusterKey, labels, series.p99);

  const samples: TrafficEdgeSample[] = [];
  for (const { metric, value: requests } of series.requestRate) {
    if (!Number.isFinite(requests) || requests < 0) continue;
    const key = `${clusterKey(metric)}|${edgeKey(labels, metric)}`;
    const failed = finiteOrUndefined(errors.get(key)) ?? 0;
    const traffic: TopologyTraffic = {
      requestsPerSecond: requests,
      errorRatio:
        requests > 0 ? Math.min(1, Math.max(0, failed / requests)) : 0,
    };
    const p50Ms = finiteOrUndefined(p50.get(key));
    const p99Ms = finiteOrUndefined(p99.get(key));
    if (p50Ms !== undefined) traffic.p50Ms = p50Ms;
    if (p99Ms !== undefined) traffic.p99Ms = p99Ms;
    const destinationService = labels.destinationService
      ? metric[labels.destinationService]
      : undefined;
    for (const cluster of clusterOf(metric)) {
      samples.push({
        mesh: series.mesh,
        cluster,
        source: {
          namespace: labelValue(metric, labels.sourceNamespace),
          workload: labelValue(metric, labels.sourceWorkload),
        },
        destination: {
          namespace: labelValue(metric, labels.destinationNamespace),
          workload: labelValue(metric, labels.destinationWorkload),
        },
        ...(destinationService ? { destinationService } : {}),
        traffic: { ...traffic },
      });
    }
  }
  return samples;
}

/** Stable order: cluster, mesh, source, destination, Service. */
export function compareSamples(a: TrafficEdgeSample, b: TrafficEdgeSample) {
  const key = (s: TrafficEdgeSample) => [
    s.cluster,
    s.mesh,
    s.source.namespace,
    s.source.workload,
    s.destination.namespace,
    s.destination.workload,
    s.destinationService ?? '',
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  }
  return 0;
}
