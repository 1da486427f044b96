import type { Finding } from '@meshstage/plugin-mesh-common';
import { objectIdentity } from '@meshstage/plugin-mesh-node';
import { BoundedMap } from '../service/BoundedMap';

/** A finding list indexed by the identity of each finding's resource, order kept. */
export class FindingsByResource<T extends { resource?: Finding['resource'] }> {
  readonly #byResource = new Map<string, Array<{ finding: T; at: number }>>();

  constructor(findings: readonly T[]) {
    findings.forEach((finding, at) => {
      if (!finding.resource) return;
      const id = objectIdentity(finding.resource);
      const list = this.#byResource.get(id);
      if (list) list.push({ finding, at });
      else this.#byResource.set(id, [{ finding, at }]);
    });
  }

  /** The findings on these resources, in the list's order. */
  on(ids: Iterable<string>): T[] {
    const hits: Array<{ finding: T; at: number }> = [];
    for (const id of ids) hits.push(...(this.#byResource.get(id) ?? []));
    return hits.sort((a, b) => a.at - b.at).map(h => h.finding);
  }
}

/** A scan's findings, indexed once. */
export interface IndexedScan<F, X> {
  findings: FindingsByResource<F & { resource?: Finding['resource'] }>;
  fixed: FindingsByResource<X & { resource?: Finding['resource'] }>;
  /** The findings `scanWide` picked, in the scan's order: the same for every entity. */
  scanWide: F[];
}

/**
 * A finished scan's findings never change: each scan's, read once and indexed by resource, kept
 * for the few most recently asked-for scans (one or two per cluster in practice), so an entity's
 * findings cost a lookup per resource instead of reading and filtering the whole scan per request.
 */
export class ScanFindingsIndex<F, X> {
  readonly #scans: BoundedMap<string, Promise<IndexedScan<F, X>>>;
  readonly #scanWide: (finding: F) => boolean;

  constructor(
    private readonly read: (scanId: string) => Promise<{
      findings: Array<F & { resource?: Finding['resource'] }>;
      fixed: Array<X & { resource?: Finding['resource'] }>;
    }>,
    options: {
      maxScans?: number;
      /** Findings that concern every entity of the cluster (picked once per scan). */
      scanWide?: (finding: F) => boolean;
    } = {},
  ) {
    this.#scans = new BoundedMap(options.maxScans ?? 16);
    this.#scanWide = options.scanWide ?? (() => false);
  }

  get(scanId: string): Promise<IndexedScan<F, X>> {
    let entry = this.#scans.get(scanId);
    if (!entry) {
      entry = this.read(scanId).then(({ findings, fixed }) => ({
        findings: new FindingsByResource(findings),
        fixed: new FindingsByResource(fixed),
        scanWide: findings.filter(this.#scanWide),
      }));
      // A failed read is not kept.
      entry.catch(() => this.#scans.delete(scanId));
    }
    // Set again on every ask: the least recently asked-for scan goes first.
    this.#scans.set(scanId, entry);
    return entry;
  }
}
