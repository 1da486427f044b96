import type { Entity } from '@backstage/catalog-model';
import {
  MESH_CLUSTER_ANNOTATION,
  type EntityClusterFindings,
  type EntityFindings,
  type Finding,
  type FindingCodeDoc,
} from '@meshstage/plugin-mesh-common';
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
import type { ValidationStore } from './ValidationStore';

export type { EntityClusterFindings, EntityFindings };

/**
 * An entity's share of the latest scans: the findings about its workloads, the Services and mesh
 * resources that select or route to them, and its namespaces. Which objects those are is read
 * live from the cluster (the same annotations as the entity's status), so a finding on an object
 * the entity acquired since the scan still shows. With each scan come the entity's findings of
 * the previous scan that it fixed (`fixed`), and with the answer what each code reported means
 * and how to fix it (`codes`, from the engine's code registry).
 */
export class EntityFindingsService {
  constructor(
    private readonly clusters: ClusterClients,
    private readonly store: ValidationStore,
    /** The code registry of the analyzers that scans run (generic, engine and adapters'). */
    private readonly codeRegistry: () => readonly FindingCodeDoc[] = () => [],
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
    const used = new Set(
      clusters.flatMap(c =>
        [...c.findings, ...(c.fixed ?? [])].map(f => f.code),
      ),
    );
    const codes = this.codeRegistry()
      .filter(c => used.has(c.code))
      .map(({ code, name, severity, summary, help, istioCode }) => ({
        code,
        name,
        severity,
        summary,
        help,
        ...(istioCode ? { istioCode } : {}),
      }))
      .sort((a, b) => a.code.localeCompare(b.code));
    return { entityRef: workloads.entityRef, clusters, codes };
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
        fixed: [],
        error: (error as Error).message,
      };
    }
    const own = <T extends { resource?: Finding['resource'] }>(f: T) =>
      Boolean(f.resource && ids.has(objectIdentity(f.resource)));
    const [findings, fixed] = await Promise.all([
      this.store.scanFindings(scan.id),
      this.store.fixedFindings(scan.id),
    ]);
    return {
      cluster: cluster.name,
      scan,
      findings: findings.filter(own),
      fixed: fixed.filter(own),
    };
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
