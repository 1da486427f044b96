import type { DriftReport } from '@meshstage/plugin-mesh-common';
import type { Knex } from 'knex';

const REPORTS = 'mesh_drift_reports';
// Written by the lifecycle feature's OperationStore; drift only reads it.
const APPLIED = 'mesh_applied_objects';

/** The latest drift report per cluster and mesh. */
export class DriftStore {
  constructor(private readonly knex: Knex) {}

  /** Replaces the stored report of the report's cluster and mesh. */
  async save(report: DriftReport): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx(REPORTS)
        .where({ cluster: report.cluster, mesh: report.mesh })
        .delete();
      await tx(REPORTS).insert({
        cluster: report.cluster,
        mesh: report.mesh,
        checked_at: report.checkedAt,
        drifted: report.drifted,
        report: JSON.stringify(report),
      });
    });
  }

  /** Stored reports, optionally of one cluster and/or mesh, by cluster then mesh. */
  async list(filter: {
    cluster?: string;
    mesh?: string;
  }): Promise<DriftReport[]> {
    const query = this.knex(REPORTS).orderBy(['cluster', 'mesh']);
    if (filter.cluster) query.where('cluster', filter.cluster);
    if (filter.mesh) query.where('mesh', filter.mesh);
    const rows = await query;
    return rows.map(r => JSON.parse(r.report) as DriftReport);
  }

  /** Every (cluster, mesh) some operation applied objects to: what the scheduled check covers. */
  async targets(): Promise<{ cluster: string; mesh: string }[]> {
    return this.knex(APPLIED)
      .distinct('cluster', 'mesh')
      .orderBy(['cluster', 'mesh']);
  }
}
