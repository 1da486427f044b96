import type { Entity } from '@backstage/catalog-model';
import {
  MESH_CLUSTER_ANNOTATION,
  type EntityClusterFindings,
  type EntityFindings,
  type FindingCodeDoc,
} from '@meshstage/plugin-mesh-common';
import {
  createSnapshot,
  inputResource,
  type KubeObject,
} from '@meshstage/plugin-mesh-node';
import { ENGINE_CODES } from '@meshstage/validation';
import type { ClusterClient, ClusterClients } from '../cluster';
import { InFlight } from '../service/InFlight';
import {
  entityWorkloads,
  type EntityWorkloads,
} from '../status/entityWorkloads';
import {
  ENTITY_CONTEXT_KINDS,
  ENTITY_WORKLOAD_KINDS,
  entityResourceIds,
} from './entityResources';
import { ScanFindingsIndex } from './ScanFindingsIndex';
import type { ValidationStore } from './ValidationStore';

export type { EntityClusterFindings, EntityFindings };

/**
 * An entity's share of the latest scans: the findings about its workloads, the Services and mesh
 * resources that select or route to them, and its namespaces. Which objects those are is read
 * live from the cluster (the same annotations as the entity's status), so a finding on an object
 * the entity acquired since the scan still shows. With each scan come the entity's findings of
 * the previous scan that it fixed (`fixed`) and the kinds the scan could not read (`skipped`: its
 * `MS0005` findings, which are on no entity's object but mean some checks did not run for any of
 * them), and with the answer what each code reported means and how to fix it (`codes`, from the
 * engine's code registry).
 */
export class EntityFindingsService {
  // Every open Validation tab asks for these: each scan's findings (which never change once it
  // finished) are read once; which scan is the latest is asked each time (one indexed row), so a
  // scan that just finished shows at once.
  readonly #contexts = new Map<
    string,
    { version: string; snapshot: ReturnType<typeof createSnapshot> }
  >();
  readonly #building = new InFlight<
    string,
    ReturnType<typeof createSnapshot>
  >();
  readonly #findings = new ScanFindingsIndex(
    async scanId => {
      const [findings, fixed] = await Promise.all([
        this.store.scanFindings(scanId),
        this.store.fixedFindings(scanId),
      ]);
      return { findings, fixed };
    },
    { scanWide: f => f.code === ENGINE_CODES.clusterKindForbidden.code },
  );

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
        [...c.findings, ...(c.fixed ?? []), ...(c.skipped ?? [])].map(
          f => f.code,
        ),
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
      // The scan's skipped checks stay true whatever happened to the entity's objects since.
      const { scanWide } = await this.#findings.get(scan.id);
      return {
        cluster: cluster.name,
        scan,
        findings: [],
        fixed: [],
        ...(scanWide.length ? { skipped: scanWide } : {}),
        error: (error as Error).message,
      };
    }
    const { findings, fixed, scanWide } = await this.#findings.get(scan.id);
    return {
      cluster: cluster.name,
      scan,
      findings: findings.on(ids),
      fixed: fixed.on(ids),
      ...(scanWide.length ? { skipped: scanWide } : {}),
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
            (o): KubeObject =>
              // Objects from the watched view have both already: no copy.
              o.apiVersion && o.kind
                ? o
                : {
                    ...o,
                    apiVersion: o.apiVersion || kind.apiVersion,
                    kind: o.kind || kind.kind,
                  },
          ),
        ),
      ).then(lists => lists.flat());
    const [own, context] = await Promise.all([
      listAll(ENTITY_WORKLOAD_KINDS, {
        namespace: workloads.namespace,
        labelSelector: workloads.labelSelector,
      }),
      this.#contextSnapshot(cluster, () => listAll(ENTITY_CONTEXT_KINDS)),
    ]);
    return entityResourceIds(own, context);
  }

  /**
   * The cluster's Services, routes and policies, indexed: the same for every entity of the cluster,
   * so kept while the cluster's watched view has not moved (built again on any change).
   */
  async #contextSnapshot(
    cluster: ClusterClient,
    list: () => Promise<KubeObject[]>,
  ): Promise<ReturnType<typeof createSnapshot>> {
    const version = cluster.viewVersion?.();
    const kept = this.#contexts.get(cluster.name);
    if (version !== undefined && kept?.version === version)
      return kept.snapshot;
    // One build per cluster at a time: the requests arriving meanwhile (a tab's first minute
    // after a start, every Validation tab open while the view catches up) share it.
    return this.#building.run(cluster.name, async () => {
      const snapshot = createSnapshot(await list());
      // The version after the reads: the lists may have started watching new types.
      const after = cluster.viewVersion?.();
      if (after !== undefined) {
        this.#contexts.set(cluster.name, { version: after, snapshot });
      }
      return snapshot;
    });
  }
}
