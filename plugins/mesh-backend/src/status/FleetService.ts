import type {
  DriftReport,
  FleetCell,
  FleetCluster,
  FleetCoverage,
  FleetFindingsSummary,
  FleetOperationSummary,
  FleetSummary,
  MeshStatus,
  OperationFields,
} from '@meshstage/plugin-mesh-common';
import { ACTIVE_OPERATION_STATES } from '@meshstage/plugin-mesh-common';
import type { KubePod, MeshAdapter } from '@meshstage/plugin-mesh-node';
import { kubeResources } from '@meshstage/plugin-mesh-node';
import type { ClusterClient } from '../cluster';
import { describeCluster } from '../cluster';
import { cachedClusterView } from './cachedClusterView';
import type { MeshStatusService } from './MeshStatusService';
import { podMeshStatus } from './podMeshStatus';

/**
 * Where the fleet summary reads what it does not ask the clusters: the stored drift reports, the
 * latest validation scans and the operations (each optional: a caller without the permission to
 * read operations gets a summary without them).
 */
export interface FleetSources {
  driftReports?: () => Promise<DriftReport[]>;
  /** The cluster's latest succeeded validation scan, counted. */
  latestFindings?: (
    cluster: string,
  ) => Promise<FleetFindingsSummary | undefined>;
  /** Operations in progress or interrupted, newest first. */
  openOperations?: () => Promise<OperationFields[]>;
}

const operationSummary = (op: OperationFields): FleetOperationSummary => ({
  id: op.id,
  action: op.action,
  state: op.state,
  summary: op.summary,
  createdBy: op.createdBy,
  createdAt: op.createdAt,
  ...(op.startedAt ? { startedAt: op.startedAt } : {}),
});

/** Never rejects: a failing store leaves its part out of the summary. */
async function optional<T>(read: (() => Promise<T>) | undefined) {
  if (!read) return undefined;
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/** Coverage of one mesh from its status and the cluster's pods (when they could be read). */
export function fleetCoverage(
  status: MeshStatus,
  pods: KubePod[] | undefined,
  adapters: MeshAdapter[],
): FleetCoverage {
  const coverage: FleetCoverage = {
    pods: status.namespaces.reduce((n, ns) => n + ns.pods, 0),
    meshedPods: status.namespaces.reduce((n, ns) => n + ns.meshedPods, 0),
    outdatedProxies: 0,
  };
  if (!pods || !status.installed || status.versions.length === 0) {
    return coverage;
  }
  for (const pod of pods) {
    const p = podMeshStatus(pod, adapters);
    if (
      p.mesh === status.mesh &&
      p.proxyVersion &&
      !status.versions.includes(p.proxyVersion)
    ) {
      coverage.outdatedProxies += 1;
    }
  }
  return coverage;
}

/**
 * The fleet grid's data: every cluster by every adapter in one call. Clusters are read in
 * parallel; each is probed (`/version`, bounded by `mesh.clusterTimeout`) while its meshes are
 * detected, and a cluster whose probe fails is answered as unreachable at once, with the error,
 * without waiting for its detections.
 */
export class FleetService {
  constructor(private readonly meshStatus: MeshStatusService) {}

  async summary(
    clusters: ClusterClient[],
    adapters: MeshAdapter[],
    sources: FleetSources = {},
    /** Every installed adapter, when `adapters` is a selection (for conflicts and proxies). */
    allAdapters: MeshAdapter[] = adapters,
  ): Promise<FleetSummary> {
    const [drift, operations, rows] = await Promise.all([
      optional(sources.driftReports),
      optional(sources.openOperations),
      Promise.all(
        clusters.map(cluster =>
          this.cluster(cluster, adapters, allAdapters, sources),
        ),
      ),
    ]);
    for (const row of rows) {
      row.meshes = row.meshes.map(cell =>
        this.withStored(cell, drift, operations),
      );
    }
    return {
      generatedAt: new Date().toISOString(),
      meshes: adapters.map(a => a.id),
      clusters: rows,
    };
  }

  private withStored(
    cell: FleetCell,
    drift: DriftReport[] | undefined,
    operations: OperationFields[] | undefined,
  ): FleetCell {
    const next = { ...cell };
    const report = drift?.find(
      r => r.cluster === cell.cluster && r.mesh === cell.mesh,
    );
    if (report) {
      next.drift = {
        checkedAt: report.checkedAt,
        drifted: report.drifted,
        modified: report.objects.filter(o => o.status === 'modified').length,
        missing: report.objects.filter(o => o.status === 'missing').length,
        ...(report.error ? { error: report.error } : {}),
      };
    }
    const mine = (operations ?? []).filter(
      op => op.cluster === cell.cluster && op.mesh === cell.mesh,
    );
    const active = mine.find(op => ACTIVE_OPERATION_STATES.includes(op.state));
    if (active) next.activeOperation = operationSummary(active);
    const interrupted = mine.filter(op => op.state === 'interrupted');
    if (interrupted.length) {
      next.interruptedOperations = interrupted.map(operationSummary);
    }
    return next;
  }

  private async cluster(
    client: ClusterClient,
    adapters: MeshAdapter[],
    allAdapters: MeshAdapter[],
    sources: FleetSources,
  ): Promise<FleetCluster> {
    // One read of namespaces and pods per cluster, shared by the adapters and the coverage.
    const cached = cachedClusterView(client);
    const view: ClusterClient = {
      name: client.name,
      url: client.url,
      ...(client.title ? { title: client.title } : {}),
      serverVersion: () => client.serverVersion(),
      list: cached.list,
    };
    const statuses = this.meshStatus.getStatus([view], adapters, allAdapters);
    // Detection never rejects; this keeps an abandoned one (unreachable cluster) quiet too.
    statuses.catch(() => undefined);
    const [info, findings] = await Promise.all([
      describeCluster(client),
      optional(
        sources.latestFindings
          ? () => sources.latestFindings!(client.name)
          : undefined,
      ),
    ]);
    const row: FleetCluster = {
      ...info,
      ...(findings ? { findings } : {}),
      meshes: [],
    };
    if (!info.reachable) {
      row.meshes = adapters.map(adapter => ({
        mesh: adapter.id,
        cluster: client.name,
        installed: false,
        versions: [],
        revisions: [],
        components: [],
        namespaces: [],
        error: info.error ?? 'the cluster is unreachable',
        coverage: { pods: 0, meshedPods: 0, outdatedProxies: 0 },
      }));
      return row;
    }
    const items = await statuses;
    const pods = items.some(s => s.installed)
      ? await cached.list<KubePod>(kubeResources.pods).catch(() => undefined)
      : undefined;
    row.meshes = items.map(status => ({
      ...status,
      coverage: fleetCoverage(status, pods, allAdapters),
    }));
    return row;
  }
}
