import type {
  EntityFindings,
  EntityMeshStatus,
  MeshConflict,
  MeshStatus,
} from '@meshstage/plugin-mesh-common';
import { openErrorCount } from './validationFindings';

/** What the Overview card shows about an entity: pure, so the wording is testable. */
export interface MeshStatusCardSummary {
  /** `meshstage.io/mesh`, when annotated. */
  expectedMesh?: string;
  pods: number;
  meshedPods: number;
  /** e.g. `3 of 4 pods meshed`. */
  coverageText: string;
  coverage: 'all' | 'some' | 'none' | 'no-pods';
  /** Control-plane versions of the mesh (the expected one, else those seen) where the pods run. */
  controlPlaneVersions: string[];
  /** Mesh-wide mTLS modes of those control planes, e.g. `STRICT`. */
  mtlsModes: string[];
  /** Conflicts between meshes in the namespaces of the entity's pods, on their clusters. */
  conflicts: MeshConflict[];
  /** Open error findings of the latest scans; `undefined` when unknown (no findings loaded). */
  errorFindings?: number;
  /** True when no cluster of the entity has been scanned yet. */
  neverScanned: boolean;
}

const unique = (values: Iterable<string>) => [...new Set(values)].sort();

/**
 * Summarises an entity for the Overview card from its status (`getEntityStatus`), the mesh
 * status of the clusters (`getStatus`) and, when loaded, its findings (`getEntityFindings`).
 */
export function summarizeMeshStatusCard(
  status: EntityMeshStatus,
  controlPlanes: readonly MeshStatus[],
  findings?: EntityFindings,
): MeshStatusCardSummary {
  const pods = status.clusters.flatMap(c =>
    c.pods.map(p => ({ ...p, cluster: c.cluster })),
  );
  const meshedPods = pods.filter(p => p.mesh).length;
  let coverage: MeshStatusCardSummary['coverage'] = 'some';
  if (pods.length === 0) coverage = 'no-pods';
  else if (meshedPods === pods.length) coverage = 'all';
  else if (meshedPods === 0) coverage = 'none';

  const clusters = new Set(
    status.clusters.filter(c => c.pods.length > 0).map(c => c.cluster),
  );
  const meshes = status.desiredMesh
    ? [status.desiredMesh]
    : unique(pods.flatMap(p => (p.mesh ? [p.mesh] : [])));
  const planes = controlPlanes.filter(
    s =>
      clusters.has(s.cluster) &&
      meshes.includes(s.mesh) &&
      s.installed &&
      !s.error,
  );
  const namespaces = new Set(pods.map(p => `${p.cluster}/${p.namespace}`));
  const conflicts = new Map<string, MeshConflict>();
  for (const s of controlPlanes) {
    for (const c of s.conflicts ?? []) {
      if (!namespaces.has(`${s.cluster}/${c.namespace}`)) continue;
      conflicts.set(`${s.cluster}|${c.type}|${c.namespace}|${c.pod ?? ''}`, c);
    }
  }

  return {
    expectedMesh: status.desiredMesh,
    pods: pods.length,
    meshedPods,
    coverageText: `${meshedPods} of ${pods.length} pod${
      pods.length === 1 ? '' : 's'
    } meshed`,
    coverage,
    controlPlaneVersions: unique(planes.flatMap(s => s.versions)),
    mtlsModes: unique(planes.flatMap(s => (s.mtls ? [s.mtls.mode] : []))),
    conflicts: [...conflicts.values()],
    errorFindings: findings ? openErrorCount(findings) : undefined,
    neverScanned: findings ? findings.clusters.every(c => !c.scan) : false,
  };
}
