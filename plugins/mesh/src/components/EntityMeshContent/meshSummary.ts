import type {
  EntityMeshStatus,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';

/** How far an entity's workloads are in the mesh it expects. */
export type MeshCoverage =
  | 'meshed'
  | 'partial'
  | 'unmeshed'
  | 'no-workloads'
  | 'mesh-missing'
  | 'wrong-mesh';

/** What the tab's summary line says about an entity: pure, so the wording is testable. */
export interface MeshSummary {
  coverage: MeshCoverage;
  pods: number;
  meshedPods: number;
  /** Meshes whose proxies actually run in the entity's pods. */
  meshesSeen: string[];
  message: string;
}

/**
 * Summarises an entity's mesh status: pods across clusters, how many carry a proxy, and whether
 * the mesh the entity expects is installed where its pods run.
 */
export function summarizeEntityMesh(
  status: EntityMeshStatus,
  controlPlanes: MeshStatus[],
): MeshSummary {
  const pods = status.clusters.flatMap(c => c.pods);
  const meshed = pods.filter(p => p.mesh);
  const meshesSeen = [...new Set(meshed.map(p => p.mesh!))].sort();
  const desired = status.desiredMesh;
  const clustersWithPods = status.clusters
    .filter(c => c.pods.length > 0)
    .map(c => c.cluster);
  const desiredMissingOn = desired
    ? clustersWithPods.filter(
        cluster =>
          !controlPlanes.some(
            s => s.cluster === cluster && s.mesh === desired && s.installed,
          ),
      )
    : [];

  const one = pods.length === 1;
  const ofAll = (n: number) => `${n} of ${pods.length} ${one ? 'pod' : 'pods'}`;
  const counts = ofAll(meshed.length);
  if (pods.length === 0) {
    return {
      coverage: 'no-workloads',
      pods: 0,
      meshedPods: 0,
      meshesSeen,
      message: `No pods match ${status.labelSelector} on any cluster.`,
    };
  }
  if (desired && desiredMissingOn.length > 0 && meshed.length === 0) {
    return {
      coverage: 'mesh-missing',
      pods: pods.length,
      meshedPods: 0,
      meshesSeen,
      message: `${desired} is not installed on ${desiredMissingOn.join(
        ', ',
      )}: ${counts} ${one ? 'has' : 'have'} a proxy.`,
    };
  }
  // Proxies of another mesh than the one the entity expects: meshed, but not where it should be.
  const elsewhere = desired ? meshed.filter(p => p.mesh !== desired) : [];
  if (elsewhere.length > 0) {
    const others = [...new Set(elsewhere.map(p => p.mesh!))].sort();
    return {
      coverage: 'wrong-mesh',
      pods: pods.length,
      meshedPods: meshed.length,
      meshesSeen,
      message: `${ofAll(elsewhere.length)} ${
        one ? 'runs' : 'run'
      } ${others.join(' and ')} proxies, but the expected mesh is ${desired}.`,
    };
  }
  let coverage: MeshCoverage = 'partial';
  if (meshed.length === pods.length) coverage = 'meshed';
  else if (meshed.length === 0) coverage = 'unmeshed';
  const where = meshesSeen.length ? ` (${meshesSeen.join(', ')})` : '';
  return {
    coverage,
    pods: pods.length,
    meshedPods: meshed.length,
    meshesSeen,
    message: `${counts} ${one ? 'runs' : 'run'} a mesh proxy${where}.`,
  };
}
