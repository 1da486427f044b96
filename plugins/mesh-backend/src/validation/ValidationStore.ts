import type {
  Finding,
  FindingSeverity,
  FindingSummary,
  FixedFinding,
  ScanSummary,
  ScanTrigger,
  StoredFinding,
} from '@meshstage/plugin-mesh-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import type { ScannedFinding } from './compareScans';

const SCANS = 'mesh_validation_scans';
const FINDINGS = 'mesh_validation_findings';

export type {
  FixedFinding,
  ScanSummary,
  ScanTrigger,
  StoredFinding,
} from '@meshstage/plugin-mesh-common';

/** What {@link ValidationStore.recordScan} stores. */
export interface NewScan {
  cluster: string;
  trigger: ScanTrigger;
  status: 'succeeded' | 'failed';
  error?: string;
  startedAt: string;
  finishedAt: string;
  previousScanId: string | null;
  meshes: string[];
  summary: FindingSummary;
  findings: readonly ScannedFinding[];
  fixed: ReadonlyArray<{ fingerprint: string; finding: Finding }>;
}

interface ScanRow {
  /** Order of recording (UUIDs have none): the cluster's latest scan has the highest. */
  seq: number;
  id: string;
  cluster: string;
  trigger: string;
  started_at: string;
  finished_at: string;
  status: string;
  error: string | null;
  previous_scan_id: string | null;
  error_count: number;
  warning_count: number;
  info_count: number;
  suppressed_count: number;
  new_count: number;
  fixed_count: number;
  fixed: string;
  meshes: string;
}

interface FindingRow {
  id: number;
  scan_id: string;
  fingerprint: string;
  code: string;
  severity: string;
  is_new: boolean | number;
  finding: string;
}

function toSummary(row: ScanRow): ScanSummary {
  return {
    id: row.id,
    cluster: row.cluster,
    trigger: row.trigger as ScanTrigger,
    status: row.status as ScanSummary['status'],
    ...(row.error ? { error: row.error } : {}),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    previousScanId: row.previous_scan_id,
    meshes: JSON.parse(row.meshes),
    summary: {
      error: Number(row.error_count),
      warning: Number(row.warning_count),
      info: Number(row.info_count),
      suppressed: Number(row.suppressed_count),
    },
    new: Number(row.new_count),
    fixed: Number(row.fixed_count),
  };
}

function toFinding(row: FindingRow): StoredFinding {
  return {
    ...(JSON.parse(row.finding) as Finding),
    fingerprint: row.fingerprint,
    new: Boolean(row.is_new),
  };
}

/**
 * Validation scans and their findings in the plugin's database (tables from the
 * `*_validation.js` and `*_validation_scan_uuids.js` migrations). A scan's id is a UUID; "newest"
 * means recorded last, by the table's `seq`. Queries are plain knex, for SQLite and PostgreSQL
 * alike.
 */
export class ValidationStore {
  constructor(
    private readonly knex: Knex,
    /** Scans kept per cluster (`mesh.validation.keepScans`). */
    private readonly keepScans: number,
  ) {}

  /** Stores a scan with its findings, then deletes the cluster's scans beyond `keepScans`. */
  async recordScan(scan: NewScan): Promise<ScanSummary> {
    const id = randomUUID();
    await this.knex.transaction(async tx => {
      await tx(SCANS).insert({
        id,
        cluster: scan.cluster,
        trigger: scan.trigger,
        started_at: scan.startedAt,
        finished_at: scan.finishedAt,
        status: scan.status,
        error: scan.error ?? null,
        previous_scan_id: scan.previousScanId,
        error_count: scan.summary.error,
        warning_count: scan.summary.warning,
        info_count: scan.summary.info,
        suppressed_count: scan.summary.suppressed,
        new_count: scan.findings.filter(f => f.new).length,
        fixed_count: scan.fixed.length,
        fixed: JSON.stringify(
          scan.fixed.map(f => ({ ...f.finding, fingerprint: f.fingerprint })),
        ),
        meshes: JSON.stringify(scan.meshes),
      });
      const rows = scan.findings.map(f => ({
        scan_id: id,
        fingerprint: f.fingerprint,
        code: f.finding.code,
        severity: f.finding.severity,
        suppressed: Boolean(f.finding.suppressed),
        is_new: f.new,
        namespace: f.finding.resource?.namespace ?? null,
        finding: JSON.stringify(f.finding),
      }));
      // Batches keep each INSERT under SQLite's bound-parameter limit.
      await tx.batchInsert(FINDINGS, rows, 100);
    });
    await this.prune(scan.cluster);
    const stored = await this.getScan(id);
    return stored!;
  }

  /** Deletes a cluster's oldest scans beyond `keepScans`, keeping its latest succeeded one. */
  private async prune(cluster: string): Promise<void> {
    const latest = await this.latestScan(cluster, 'succeeded');
    const old: Array<{ id: string }> = await this.knex(SCANS)
      .select('id')
      .where({ cluster })
      .orderBy('seq', 'desc')
      .offset(this.keepScans)
      .limit(1_000_000);
    const ids = old.map(r => r.id).filter(id => id !== latest?.id);
    if (ids.length === 0) return;
    await this.knex.transaction(async tx => {
      await tx(FINDINGS).whereIn('scan_id', ids).delete();
      await tx(SCANS).whereIn('id', ids).delete();
    });
  }

  /** Scans, newest first, of one cluster or all. */
  async listScans(options: {
    cluster?: string;
    limit: number;
  }): Promise<ScanSummary[]> {
    const query = this.knex<ScanRow>(SCANS)
      .select('*')
      .orderBy('seq', 'desc')
      .limit(options.limit);
    if (options.cluster) query.where({ cluster: options.cluster });
    return (await query).map(toSummary);
  }

  async getScan(id: string): Promise<ScanSummary | undefined> {
    const row = await this.knex<ScanRow>(SCANS).where({ id }).first();
    return row ? toSummary(row) : undefined;
  }

  /** The cluster's newest scan (of a status, when given). */
  async latestScan(
    cluster: string,
    status?: ScanSummary['status'],
  ): Promise<ScanSummary | undefined> {
    const query = this.knex<ScanRow>(SCANS)
      .where({ cluster })
      .orderBy('seq', 'desc')
      .first();
    if (status) query.where({ status });
    const row = await query;
    return row ? toSummary(row) : undefined;
  }

  /** A scan's findings in the order the engine reported them, optionally of one severity. */
  async scanFindings(
    scanId: string,
    options: { severity?: FindingSeverity } = {},
  ): Promise<StoredFinding[]> {
    const query = this.knex<FindingRow>(FINDINGS)
      .where({ scan_id: scanId })
      .orderBy('id', 'asc');
    if (options.severity) query.where({ severity: options.severity });
    return (await query).map(toFinding);
  }

  /** The findings of the previous scan that a scan no longer had. */
  async fixedFindings(scanId: string): Promise<FixedFinding[]> {
    const row = await this.knex<ScanRow>(SCANS)
      .select('fixed')
      .where({ id: scanId })
      .first();
    return row ? JSON.parse(row.fixed) : [];
  }
}
