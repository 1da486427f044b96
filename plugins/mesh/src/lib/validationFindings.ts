import {
  FINDING_SEVERITIES,
  type EntityFindings,
  type Finding,
  type FindingCodeDoc,
  type FindingSeverity,
  type FixedFinding,
  type ResourceRef,
  type StoredFinding,
} from '@meshstage/plugin-mesh-common';

/** A finding of an entity on one cluster, with a key unique in the tab. */
export type FindingRow = StoredFinding & { cluster: string; key: string };

/** A finding of the previous scan that the latest scan of a cluster no longer has. */
export type FixedRow = FixedFinding & { cluster: string; key: string };

/** The findings of one code, with what the code means and its fix when the backend knows it. */
export interface CodeGroup {
  code: string;
  severity: FindingSeverity;
  /** The code registry's entry: name, summary and `help` (the fix). */
  doc?: FindingCodeDoc;
  istioCode?: string;
  findings: FindingRow[];
  newCount: number;
}

/** The findings of one severity, by code. */
export interface SeverityGroup {
  severity: FindingSeverity;
  count: number;
  codes: CodeGroup[];
}

/** What the tab says above the findings. */
export interface ValidationOverview {
  /**
   * `no-scan`: no cluster of the entity has a succeeded scan (no findings is not "no problems");
   * `all-clear`: scanned, and nothing open (suppressed ones aside); `findings`: something open.
   */
  state: 'no-scan' | 'all-clear' | 'findings';
  counts: {
    error: number;
    warning: number;
    info: number;
    suppressed: number;
    new: number;
    fixed: number;
  };
  scannedClusters: string[];
  /** Configured clusters of the entity without a succeeded scan yet. */
  unscannedClusters: string[];
  /** The newest `finishedAt` of the clusters' latest succeeded scans. */
  lastScanAt?: string;
  /** Clusters whose objects could not be resolved, or that are not configured, with why. */
  clusterErrors: Array<{ cluster: string; error: string }>;
}

const identity = (f: Finding & { cluster: string }) =>
  [
    f.cluster,
    f.code,
    f.resource?.kind ?? '',
    f.resource?.namespace ?? '',
    f.resource?.name ?? '',
    f.path ?? '',
  ].join('|');

/** Every finding of the entity across clusters, each with its cluster and a unique key. */
export function findingRows(data: EntityFindings): FindingRow[] {
  const seen = new Map<string, number>();
  const keyOf = (base: string) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n ? `${base}#${n}` : base;
  };
  return data.clusters.flatMap(c =>
    c.findings.map(f => {
      const row = { ...f, cluster: c.cluster };
      return { ...row, key: keyOf(f.fingerprint || identity(row)) };
    }),
  );
}

/** The findings each cluster's latest scan fixed, across clusters. */
export function fixedRows(data: EntityFindings): FixedRow[] {
  return data.clusters.flatMap(c =>
    (c.fixed ?? []).map(f => ({
      ...f,
      cluster: c.cluster,
      key: `${c.cluster}|${
        f.fingerprint || identity({ ...f, cluster: c.cluster })
      }`,
    })),
  );
}

/**
 * Groups findings by severity (most severe first) and code (in code order), leaving suppressed
 * findings out unless `includeSuppressed`. Empty severities are left out. Inside a code, new
 * findings come first, then by cluster and resource.
 */
export function groupFindings(
  rows: readonly FindingRow[],
  codes: readonly FindingCodeDoc[] = [],
  options: { includeSuppressed?: boolean } = {},
): SeverityGroup[] {
  const docs = new Map(codes.map(c => [c.code, c]));
  const shown = options.includeSuppressed
    ? rows
    : rows.filter(r => !r.suppressed);
  return FINDING_SEVERITIES.map(severity => {
    const ofSeverity = shown.filter(r => r.severity === severity);
    const byCode = new Map<string, FindingRow[]>();
    for (const r of ofSeverity) {
      byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
    }
    const groups: CodeGroup[] = [...byCode.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, findings]) => ({
        code,
        severity,
        doc: docs.get(code),
        istioCode:
          findings.find(f => f.istioCode)?.istioCode ??
          docs.get(code)?.istioCode,
        findings: [...findings].sort(
          (a, b) =>
            Number(b.new) - Number(a.new) ||
            a.cluster.localeCompare(b.cluster) ||
            resourceLabel(a.resource).localeCompare(
              resourceLabel(b.resource),
            ) ||
            (a.path ?? '').localeCompare(b.path ?? ''),
        ),
        newCount: findings.filter(f => f.new).length,
      }));
    return { severity, count: ofSeverity.length, codes: groups };
  }).filter(g => g.count > 0);
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects); `-` without a resource. */
export function resourceLabel(resource: ResourceRef | undefined): string {
  if (!resource) return '-';
  return `${resource.kind} ${
    resource.namespace ? `${resource.namespace}/` : ''
  }${resource.name}`;
}

/** Counts and state of the entity's findings, for the tab's summary and empty states. */
export function validationOverview(data: EntityFindings): ValidationOverview {
  const counts = {
    error: 0,
    warning: 0,
    info: 0,
    suppressed: 0,
    new: 0,
    fixed: 0,
  };
  for (const c of data.clusters) {
    for (const f of c.findings) {
      if (f.suppressed) {
        counts.suppressed++;
        continue;
      }
      counts[f.severity]++;
      if (f.new) counts.new++;
    }
    counts.fixed += c.fixed?.length ?? 0;
  }
  const scanned = data.clusters.filter(c => c.scan);
  const lastScanAt = scanned
    .map(c => c.scan!.finishedAt)
    .sort()
    .at(-1);
  const open = counts.error + counts.warning + counts.info;
  let state: ValidationOverview['state'] = 'findings';
  if (scanned.length === 0) state = 'no-scan';
  else if (open === 0) state = 'all-clear';
  return {
    state,
    counts,
    scannedClusters: scanned.map(c => c.cluster),
    unscannedClusters: data.clusters
      .filter(c => !c.scan && !c.error)
      .map(c => c.cluster),
    lastScanAt,
    clusterErrors: data.clusters
      .filter(c => c.error)
      .map(c => ({ cluster: c.cluster, error: c.error! })),
  };
}

/**
 * The clusters "Scan now" scans: the entity's clusters, except those that are not configured
 * (no scan and an error: the `meshstage.io/cluster` annotation names an unknown cluster).
 */
export function scanTargets(data: EntityFindings): string[] {
  return data.clusters.filter(c => c.scan || !c.error).map(c => c.cluster);
}

/** The number of open (not suppressed) error findings across the entity's clusters. */
export function openErrorCount(data: EntityFindings): number {
  return data.clusters.reduce(
    (n, c) =>
      n +
      c.findings.filter(f => f.severity === 'error' && !f.suppressed).length,
    0,
  );
}
