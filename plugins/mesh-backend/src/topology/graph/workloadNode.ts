import type {
  TopologyHealth,
  TopologyNode,
} from '@meshstage/plugin-mesh-common';
import type { KubePod, MeshAdapter } from '@meshstage/plugin-mesh-node';
import { selectorMatches } from '@meshstage/plugin-mesh-node';
import { podMeshStatus } from '../../status/podMeshStatus';
import type { LabelIndex } from '../labelSelector';
import { compareIds, nodeId } from './ids';
import type { WorkloadInfo } from './types';

/**
 * A workload's (or gateway's) node: its pods found by its selector, counted (ready, meshed),
 * the mesh of the first meshed pod, and health from ready pods against desired replicas.
 */
export function workloadNode(
  cluster: string,
  w: WorkloadInfo,
  podIndex: LabelIndex<KubePod>,
  proxyAdapters: MeshAdapter[],
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
        .candidates(w.namespace, Object.entries(selector.matchLabels ?? {}))
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
    const status = podMeshStatus(pod, proxyAdapters);
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
