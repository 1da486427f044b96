import type { Entity } from '@backstage/catalog-model';
import type {
  EntityMeshClusterStatus,
  EntityMeshStatus,
  EntityOnboarding,
} from '@meshstage/plugin-mesh-common';
import { MESH_CLUSTER_ANNOTATION } from '@meshstage/plugin-mesh-common';
import type { KubePod, MeshAdapter } from '@meshstage/plugin-mesh-node';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import type { ClusterClient, ClusterClients } from '../cluster';
import { type EntityWorkloads, entityWorkloads } from './entityWorkloads';
import { podMeshStatus } from './podMeshStatus';

/** Where an entity's onboarding state comes from (the onboarding feature). */
export type EntityOnboardingSource = (
  entity: Entity,
) => Promise<EntityOnboarding | undefined>;

/**
 * The mesh view of one catalog entity: its pods on each cluster, and which of them run which
 * mesh's proxy, next to the mesh the entity asks for, with its onboarding state when a source is
 * given.
 */
export class EntityStatusService {
  constructor(
    private readonly clusters: ClusterClients,
    private readonly options: { onboarding?: EntityOnboardingSource } = {},
  ) {}

  /** Throws InputError for an entity without the Kubernetes annotations. */
  async getEntityStatus(
    entity: Entity,
    adapters: MeshAdapter[],
  ): Promise<EntityMeshStatus> {
    const workloads = entityWorkloads(entity);
    const { onboarding: source } = this.options;
    const [clusterStatuses, onboarding] = await Promise.all([
      Promise.all(
        this.targetClusters(workloads).map(cluster =>
          typeof cluster === 'string'
            ? Promise.resolve<EntityMeshClusterStatus>({
                cluster,
                pods: [],
                meshedPods: 0,
                error: `cluster '${cluster}' (from the ${MESH_CLUSTER_ANNOTATION} annotation) is not configured`,
              })
            : this.clusterStatus(cluster, workloads, adapters),
        ),
      ),
      // The onboarding state is extra: a failure there must not cost the entity its status.
      source
        ? source(entity).then(
            value => ({ value }),
            (error: Error) => ({ error: error?.message ?? String(error) }),
          )
        : undefined,
    ]);
    return {
      entityRef: workloads.entityRef,
      ...(workloads.desiredMesh ? { desiredMesh: workloads.desiredMesh } : {}),
      labelSelector: workloads.labelSelector,
      clusters: clusterStatuses,
      runningMeshes: [
        ...new Set(
          clusterStatuses.flatMap(c =>
            c.pods.flatMap(p => (p.mesh ? [p.mesh] : [])),
          ),
        ),
      ].sort(),
      ...(onboarding && 'value' in onboarding && onboarding.value
        ? { onboarding: onboarding.value }
        : {}),
      ...(onboarding && 'error' in onboarding
        ? { onboardingError: onboarding.error }
        : {}),
    };
  }

  /** The clusters to look in; a name stands for a cluster the annotation names but config lacks. */
  private targetClusters(
    workloads: EntityWorkloads,
  ): Array<ClusterClient | string> {
    if (!workloads.cluster) {
      return this.clusters.list();
    }
    return [this.clusters.get(workloads.cluster) ?? workloads.cluster];
  }

  private async clusterStatus(
    cluster: ClusterClient,
    workloads: EntityWorkloads,
    adapters: MeshAdapter[],
  ): Promise<EntityMeshClusterStatus> {
    try {
      const pods = await cluster.list<KubePod>(kubeResources.pods, {
        namespace: workloads.namespace,
        labelSelector: workloads.labelSelector,
      });
      const statuses = pods
        .map(pod => podMeshStatus(pod, adapters))
        .sort(
          (a, b) =>
            a.namespace.localeCompare(b.namespace) ||
            a.name.localeCompare(b.name),
        );
      return {
        cluster: cluster.name,
        pods: statuses,
        meshedPods: statuses.filter(p => p.mesh).length,
      };
    } catch (error) {
      return {
        cluster: cluster.name,
        pods: [],
        meshedPods: 0,
        error: (error as Error).message,
      };
    }
  }
}
