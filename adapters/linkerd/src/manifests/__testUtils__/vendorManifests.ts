import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { PlanObject } from '@meshstage/plugin-mesh-common';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/**
 * The vendors' rendered manifests (`../shared/vendor-manifests` beside the repository): test data
 * read in place, never copied into the repository. Undefined when that directory is absent.
 */
export function vendorManifestsDir(): string | undefined {
  const dir = path.resolve(REPO_ROOT, '../shared/vendor-manifests');
  return fs.existsSync(dir) ? dir : undefined;
}

/** The message tests skip with when the vendor manifests are absent. */
export const VENDOR_MANIFESTS_MISSING =
  'vendor manifests not found at ../shared/vendor-manifests (beside the repository): skipping the vendor comparison';

/** The objects of one vendor file (`linkerd/edge-26.8.3/crds.yaml`), in file order. */
export function readVendorObjects(relative: string): PlanObject[] {
  const dir = vendorManifestsDir();
  if (!dir) throw new Error(VENDOR_MANIFESTS_MISSING);
  const text = fs.readFileSync(path.join(dir, relative), 'utf8');
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter((o): o is PlanObject => !!o && typeof o === 'object' && !!o.kind);
}
