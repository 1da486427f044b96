import type { Finding, FindingSeverity } from './findings';

/**
 * Wire types of the mesh backend's validation routes (`/validation/*` and
 * `/entity/:kind/:namespace/:name/findings`): one definition for the backend that answers and
 * the frontend that reads.
 */

/** Counts of a set of findings; a suppressed finding counts as suppressed only. @public */
export interface FindingSummary {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
}

/** How a scan was started. @public */
export type ScanTrigger = 'schedule' | 'manual';

/** One scan of one cluster, without its findings. @public */
export interface ScanSummary {
  /** A UUID, as operation and benchmark ids are. */
  id: string;
  cluster: string;
  trigger: ScanTrigger;
  /** `failed` when the cluster could not be read; such a scan has no findings. */
  status: 'succeeded' | 'failed';
  error?: string;
  startedAt: string;
  finishedAt: string;
  /** The scan `new` and `fixed` are relative to; `null` for the first scan of the cluster. */
  previousScanId: string | null;
  /** The adapters whose analyzers ran (the generic analyzers always run). */
  meshes: string[];
  summary: FindingSummary;
  /** How many findings the previous scan did not have. */
  new: number;
  /** How many findings of the previous scan are gone. */
  fixed: number;
}

/** A stored finding: the engine's finding plus its fingerprint and whether it is new. @public */
export type StoredFinding = Finding & { fingerprint: string; new: boolean };

/** A finding of the previous scan that a scan no longer reports. @public */
export type FixedFinding = Finding & { fingerprint: string };

/**
 * What a finding code means and how to fix it (the engine's code registry, as SARIF rules and
 * `docs/validation-codes.md` have it).
 * @public
 */
export interface FindingCodeDoc {
  code: string;
  /** PascalCase name, e.g. `VirtualServiceHostNotFound`. */
  name: string;
  severity: FindingSeverity;
  /** One sentence: what is wrong. */
  summary: string;
  /** How to fix it. */
  help: string;
  istioCode?: string;
}

/** The answer of `POST /validate`. @public */
export interface ValidationResponse {
  findings: Finding[];
  summary: FindingSummary;
}

/** The answer of `GET /validation/scans/:id`. @public */
export interface ScanDetail {
  scan: ScanSummary;
  findings: StoredFinding[];
  fixed: FixedFinding[];
}

/** One cluster of `GET /validation/findings`. @public */
export interface ClusterFindings {
  cluster: string;
  /** The latest succeeded scan; `null` when there is none (not the same as no findings). */
  scan: ScanSummary | null;
  findings: StoredFinding[];
  /** Set when the latest scan of the cluster failed. */
  lastFailedScan?: { id: string; finishedAt: string; error?: string };
}

/** An entity's findings on one cluster. @public */
export interface EntityClusterFindings {
  cluster: string;
  /** The latest succeeded scan of the cluster; `null` when the cluster was never scanned. */
  scan: ScanSummary | null;
  /** The entity's findings of that scan, suppressed ones included (marked `suppressed`). */
  findings: StoredFinding[];
  /**
   * The entity's findings of the previous scan that this scan no longer reports. Present when
   * `scan` is; only findings on objects the entity still has can be attributed to it.
   */
  fixed?: FixedFinding[];
  /**
   * What the scan could not check: its `MS0005` findings (suppressed ones marked), one per kind
   * the cluster refused to list, each message naming the kind and the codes whose checks were
   * skipped. They are on no object of the entity but hold for all of them: without them, an entity
   * without findings would look checked when some rules never ran. Present only when the scan has
   * such findings.
   */
  skipped?: StoredFinding[];
  /** Why the entity's objects could not be resolved on this cluster. */
  error?: string;
}

/** The answer of `GET /entity/:kind/:namespace/:name/findings`. @public */
export interface EntityFindings {
  entityRef: string;
  clusters: EntityClusterFindings[];
  /** What each code in `findings`, `fixed` and `skipped` means and how to fix it, sorted by code. */
  codes?: FindingCodeDoc[];
}
