import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  type DriftReport,
  formatObjectRef,
  objectRef,
  type Plan,
  type ReconcileRequest,
} from '@meshstage/plugin-mesh-common';
import type { ClusterClients } from '../cluster';
import { requireCluster } from '../service/lookups';
import { type AppliedObject, buildDriftReport } from './buildDriftReport';
import type { DriftStore } from './DriftStore';
import { planReconcile } from './planReconcile';

// Live objects are read one GET each; a few at a time keeps a large mesh quick without flooding
// the API server.
const READ_CONCURRENCY = 8;

/** What {@link DriftService} needs. */
export interface DriftServiceOptions {
  store: DriftStore;
  /** The desired objects operations applied (the lifecycle feature's store). */
  applied(cluster: string, mesh: string): Promise<AppliedObject[]>;
  clusters: ClusterClients;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Drift detection: compares what lifecycle operations applied with the live objects, stores the
 * latest report per cluster and mesh, and plans the reconcile operation that restores it.
 */
export class DriftService {
  constructor(private readonly options: DriftServiceOptions) {}

  /** Checks one cluster and mesh now and stores the report. A cluster that cannot be read gives a report with `error`. */
  async check(clusterName: string, mesh: string): Promise<DriftReport> {
    return (await this.#check(clusterName, mesh)).report;
  }

  /** {@link DriftService.check}, also handing back the applied objects it compared. */
  async #check(
    clusterName: string,
    mesh: string,
  ): Promise<{ report: DriftReport; applied: AppliedObject[] }> {
    const { clusters, store, logger } = this.options;
    requireCluster(clusters, clusterName, "body field 'cluster'");
    const now = this.options.now ?? (() => new Date());
    const applied = await this.options.applied(clusterName, mesh);
    let report: DriftReport;
    try {
      const live = await this.#readLive(clusterName, applied);
      report = buildDriftReport({
        cluster: clusterName,
        mesh,
        applied,
        live,
        checkedAt: now(),
      });
    } catch (error) {
      report = {
        cluster: clusterName,
        mesh,
        checkedAt: now().toISOString(),
        drifted: false,
        objects: [],
        error: `Cannot read cluster '${clusterName}': ${
          (error as Error).message
        }`,
      };
    }
    await store.save(report);
    if (report.drifted) {
      const changed = report.objects.filter(o => o.status !== 'in-sync');
      logger.warn(
        `Drift on ${mesh}/${clusterName}: ${changed
          .map(o => `${formatObjectRef(o.ref)} ${o.status}`)
          .join(', ')}`,
      );
    }
    return { report, applied };
  }

  /** Checks every cluster and mesh some operation applied objects to (the scheduled task). */
  async checkAll(): Promise<DriftReport[]> {
    const reports: DriftReport[] = [];
    for (const { cluster, mesh } of await this.options.store.targets()) {
      if (!this.options.clusters.get(cluster)) continue; // removed from config
      reports.push(await this.check(cluster, mesh));
    }
    return reports;
  }

  /** Stored reports. */
  list(filter: { cluster?: string; mesh?: string }): Promise<DriftReport[]> {
    return this.options.store.list(filter);
  }

  /** A fresh check, turned into the plan that restores every drifted object. */
  async planReconcile(request: ReconcileRequest): Promise<Plan> {
    const { report, applied } = await this.#check(
      request.cluster,
      request.mesh,
    );
    if (report.error) throw new Error(report.error);
    return planReconcile(
      request,
      report,
      applied.map(a => a.object),
    );
  }

  async #readLive(
    clusterName: string,
    applied: AppliedObject[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const writer = this.options.clusters.writer(clusterName);
    if (!writer) throw new Error('no write access configured');
    const live = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < applied.length; i += READ_CONCURRENCY) {
      const batch = applied.slice(i, i + READ_CONCURRENCY);
      const objects = await Promise.all(
        batch.map(a => writer.get(objectRef(a.object))),
      );
      batch.forEach((a, j) => {
        const object = objects[j];
        if (object) live.set(formatObjectRef(objectRef(a.object)), object);
      });
    }
    return live;
  }
}
