import type { Finding } from '@meshstage/plugin-mesh-common';
import { findingFingerprint } from './fingerprint';

/** A finding of a scan with its fingerprint and whether the previous scan lacked it. */
export interface ScannedFinding {
  fingerprint: string;
  new: boolean;
  finding: Finding;
}

/** What changed between two scans of one cluster. */
export interface ScanComparison {
  findings: ScannedFinding[];
  /** Findings of the previous scan that this one no longer reports (as the previous scan had them). */
  fixed: Array<{ fingerprint: string; finding: Finding }>;
}

/**
 * Compares a scan's findings with the previous scan's, by fingerprint. Without a previous scan
 * (`undefined`) nothing is new and nothing fixed: the first scan is the baseline, not a flood of
 * news. Pure.
 */
export function compareScans(
  current: readonly Finding[],
  previous:
    | ReadonlyArray<{ fingerprint: string; finding: Finding }>
    | undefined,
): ScanComparison {
  const before = new Set(previous?.map(p => p.fingerprint));
  const findings = current.map(finding => {
    const fingerprint = findingFingerprint(finding);
    return {
      fingerprint,
      new: previous !== undefined && !before.has(fingerprint),
      finding,
    };
  });
  const now = new Set(findings.map(f => f.fingerprint));
  const fixedSeen = new Set<string>();
  const fixed = (previous ?? []).filter(p => {
    if (now.has(p.fingerprint) || fixedSeen.has(p.fingerprint)) return false;
    fixedSeen.add(p.fingerprint);
    return true;
  });
  return { findings, fixed };
}
