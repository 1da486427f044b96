import type {
  TopologyEdge,
  TopologyEdgeKind,
} from '@meshstage/plugin-mesh-common';
import type { KubeDeployment } from '@meshstage/plugin-mesh-node';

// When one pair of nodes is connected for several reasons, the edge keeps the strongest kind.
export const KIND_RANK: Record<TopologyEdgeKind, number> = {
  selects: 0,
  declared: 1,
  calls: 2,
  routes: 3,
};

export interface EdgeAcc {
  edge: TopologyEdge;
  rps: number;
  errors: number;
  p50?: number;
  p99?: number;
  hasTraffic: boolean;
}

export interface WorkloadInfo {
  obj: KubeDeployment;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  templateLabels: Record<string, string>;
  gateway: boolean;
  id?: string;
}

export interface ServiceInfo {
  id: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  selector?: Record<string, string>;
  workloads: WorkloadInfo[];
}
