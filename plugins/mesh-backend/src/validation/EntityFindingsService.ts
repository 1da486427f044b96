import type { Entity } from '@backstage/catalog-model';
import { MESH_CLUSTER_ANNOTATION } from '@meshstage/plugin-mesh-common';
import {
  createSnapshot,
  inputResource,
  objectIdentity,
  type KubeObject,
} from '@meshstage/plugin-mesh-node';
import type { ClusterClient, ClusterClients } from '../cluster';
import {
  entityWorkloads,
  type EntityWorkloads,
} from '../status/entityWorkloads';
import {
  ENTITY_CONTEXT_KINDS,
  ENTITY_WORKLOAD_KINDS,
  entityResourceIds,
} from './entityResources';
import type {
  ScanSummary,
  StoredFinding,
  ValidationStore,
} from './ValidationStore';

/** An entity's findings on one cluster. */
export interface EntityClusterFindings {
  cluster: string;
  /** The latest succeeded scan of the cluster; `null` when the cluster was never scanned. */
  scan: ScanSummary | null;
  findings: StoredFinding[];
  /** Why the entity's objects could not be resolved on this cluster. */
  error?: string;
}

/** The answer of `GET /entity/:kind/:namespace/:name/findings`. */
export interface EntityFindings {
  entityRef: string;
  clusters: EntityClusterFindings[];
}

/**
 * An entity's share of the latest scans: the findings about its workloads, the Services and mesh
 * resources that select or route to them, and its namespaces. Which objects those are is read
 * live from the cluster (the same annotations as the entity's status), so a finding on an object
 * the entity acquired since the scan still shows.
 */
export class EntityFindingsService {
  constructor(
    private readonly clusters: ClusterClients,
    private readonly store: ValidationStore,
  ) {}

  /** Throws InputError for an entity without the Kubernetes annotations. */
  async getEntityFindings(entity: Entity): Promise<EntityFindings> {
    const workloads = entityWorkloads(entity);
    const targets: Array<ClusterClient | string> = workloads.cluster
      ? [this.clusters.get(workloads.cluster) ?? workloads.cluster]
      : this.clusters.list();
    const clusters = await Promise.all(
      targets.map(cluster =>
        typeof cluster === 'string'
          ? Promise.resolve<EntityClusterFindings>({
              cluster,
              scan: null,
              findings: [],
              error: `cluster '${cluster}' (from the ${MESH_CLUSTER_ANNOTATION} annotation) is not configured`,
            })
          : this.clusterFindings(cluster, workloads),
      ),
    );
    return { entityRef: workloads.entityRef, clusters };
  }

  private async clusterFindings(
    cluster: ClusterClient,
    workloads: EntityWorkloads,
  ): Promise<EntityClusterFindings> {
    const scan =
      (await this.store.latestScan(cluster.name, 'succeeded')) ?? null;
    if (!scan) return { cluster: cluster.name, scan, findings: [] };
    let ids: Set<string>;
    try {
      ids = await this.entityIds(cluster, workloads);
    } catch (error) {
      return {
        cluster: cluster.name,
        scan,
        findings: [],
        error: (error as Error).message,
      };
    }
    const findings = (await this.store.scanFindings(scan.id)).filter(
      f => f.resource && ids.has(objectIdentity(f.resource)),
    );
    return { cluster: cluster.name, scan, findings };
  }

  private async entityIds(
    cluster: ClusterClient,
    workloads: EntityWorkloads,
  ): Promise<Set<string>> {
    const listAll = (
      kinds: typeof ENTITY_CONTEXT_KINDS,
      options?: { namespace?: string; labelSelector?: string },
    ) =>
      Promise.all(
        kinds.map(async kind =>
          (await cluster.list(inputResource(kind), options)).map(
            (o): KubeObject => ({
              ...o,
              apiVersion: o.apiVersion || kind.apiVersion,
              kind: o.kind || kind.kind,
            }),
          ),
        ),
      ).then(lists => lists.flat());
    const [own, context] = await Promise.all([
      listAll(ENTITY_WORKLOAD_KINDS, {
        namespace: workloads.namespace,
        labelSelector: workloads.labelSelector,
      }),
      listAll(ENTITY_CONTEXT_KINDS),
    ]);
    return entityResourceIds(own, createSnapshot(context));
  }
}
