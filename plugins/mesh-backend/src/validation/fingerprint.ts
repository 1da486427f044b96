import { createHash } from 'node:crypto';
import type { Finding } from '@meshstage/plugin-mesh-common';
import { objectIdentity } from '@meshstage/plugin-mesh-node';

/**
 * A finding's stable identity across scans: its code, the resource it is about (group, kind,
 * namespace, name, not the version) and the JSON pointer in it. The message is left out on
 * purpose: rewording a message, or a message that quotes a changing value, must not make a finding
 * look fixed and new again. Findings without a resource (file-level ones) use their file position;
 * those with neither, about the run itself (MS0005: one per kind the cluster refused to list),
 * only have their message to tell them apart.
 */
export function findingFingerprint(finding: Finding): string {
  let where: string;
  if (finding.resource) where = objectIdentity(finding.resource);
  else if (finding.source)
    where = `${finding.source.file}:${finding.source.line ?? ''}`;
  else where = `message:${finding.message}`;
  return createHash('sha256')
    .update(JSON.stringify([finding.code, where, finding.path ?? '']))
    .digest('hex')
    .slice(0, 32);
}
