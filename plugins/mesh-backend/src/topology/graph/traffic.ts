import type {
  TopologyHealth,
  TopologyTraffic,
} from '@meshstage/plugin-mesh-common';
import type { TrafficEdgeSample } from '../traffic/types';
import type { GraphBuilder } from './GraphBuilder';
import { hostServiceName, nodeId } from './ids';

/** Error ratio from which an edge is failing (any error below it: degraded). */
export const FAILING_ERROR_RATIO = 0.05;

function trafficHealth(traffic: TopologyTraffic | undefined): TopologyHealth {
  if (!traffic) return 'unknown';
  if (traffic.errorRatio >= FAILING_ERROR_RATIO) return 'failing';
  if (traffic.errorRatio > 0) return 'degraded';
  return 'healthy';
}

/** Puts observed traffic on the configuration's path, or on `calls` edges of its own. */
export function addTraffic(graph: GraphBuilder, samples: TrafficEdgeSample[]) {
  for (const sample of samples) {
    const src = graph.workloadIds.get(
      `${sample.cluster}/${sample.source.namespace}/${sample.source.workload}`,
    );
    if (!src) continue;
    const dst = graph.workloadIds.get(
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
      if (id && graph.nodes.has(id)) svc = id;
    }
    const has = (a: string, b: string) => graph.edges.has(`${a}->${b}`);
    let services: string[] = [];
    if (svc) services = [svc];
    else if (dst) services = graph.selectedBy.get(dst) ?? [];
    const viaService = services.find(s => has(src, s) && (!dst || has(s, dst)));
    if (viaService) {
      addSample(graph, src, viaService, sample.traffic);
      if (dst) addSample(graph, viaService, dst, sample.traffic);
    } else if (dst && has(src, dst)) {
      addSample(graph, src, dst, sample.traffic);
    } else if (svc) {
      addSample(graph, src, svc, sample.traffic);
      if (dst && has(svc, dst)) addSample(graph, svc, dst, sample.traffic);
    } else if (dst) {
      addSample(graph, src, dst, sample.traffic);
    }
  }
  for (const acc of graph.edges.values()) {
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

function addSample(
  graph: GraphBuilder,
  source: string,
  target: string,
  traffic: TopologyTraffic,
) {
  // Traffic keeps the kind of a configured edge; a declared one it confirms becomes a call.
  const acc =
    graph.edges.get(`${source}->${target}`) ??
    graph.addEdge(source, target, 'calls');
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
