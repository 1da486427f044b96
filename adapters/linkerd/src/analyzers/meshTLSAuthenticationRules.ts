import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  canonicalKind,
  inputs,
  LinkerdCode,
  POLICY_VERSION,
  specOf,
  targetsKind,
} from './common';

const CODE: LinkerdCode = {
  code: 'MS0318',
  name: 'MeshTLSAuthenticationRejected',
  severity: 'error',
  summary:
    "A MeshTLSAuthentication breaks a rule of Linkerd's policy admission webhook: an identity that is neither a SPIFFE ID nor a DNS-like name, or an `identityRefs` entry that is not a ServiceAccount or a Namespace (without `namespace`).",
  help: 'Write identities as `<sa>.<ns>.serviceaccount.identity.linkerd.<trust-domain>` (a leading `*.` allowed) or `spiffe://<trust-domain>/<path>`; refer to ServiceAccounts or Namespaces only.',
};

const DNS_LIKE =
  /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TRUST_DOMAIN_CHAR = /^[a-z0-9\-._]$/;
const PATH_CHAR = /^[a-zA-Z0-9\-._]$/;

/** Why Linkerd rejects an identity (`validate_identity` in its policy controller), or undefined. */
export function identityProblem(id: string): string | undefined {
  if (!id.startsWith('spiffe://'))
    return DNS_LIKE.test(id)
      ? undefined
      : `identity must be a valid SPIFFE id or a DNS SAN, matching the regex: ${DNS_LIKE.source}`;
  const rest = id.slice('spiffe://'.length);
  const slash = rest.indexOf('/');
  const i = slash < 0 ? rest.length : slash;
  if (i === 0) return 'SPIFFE trust domain is missing';
  if (![...rest.slice(0, i)].every(c => TRUST_DOMAIN_CHAR.test(c)))
    return 'SPIFFE trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores';
  const path = rest.slice(i);
  if (!path) return undefined;
  // Segments as the SPIFFE ID standard defines them: `/`-separated, non-empty, not `.` or `..`.
  let start = 0;
  const segmentProblem = (segment: string, last: boolean) => {
    if (segment === '/')
      return last
        ? 'SPIFFE path cannot have a trailing slash'
        : 'SPIFFE path cannot contain empty segments';
    if (segment === '/.' || segment === '/..')
      return 'SPIFFE path cannot contain dot segments';
    return undefined;
  };
  for (let idx = 0; idx < path.length; idx++) {
    const c = path[idx];
    if (c === '/') {
      const problem = segmentProblem(path.slice(start, idx), false);
      if (problem) return problem;
      start = idx;
    } else if (!PATH_CHAR.test(c)) {
      return 'SPIFFE path segment characters are limited to letters, numbers, dots, dashes, and underscores';
    }
  }
  return segmentProblem(path.slice(start), true);
}

/**
 * MS0318: what Linkerd's policy admission webhook (`Validate<MeshTLSAuthenticationSpec>`) rejects
 * in a MeshTLSAuthentication, one finding per broken entry.
 * @public
 */
export const meshTLSAuthenticationRulesAnalyzer: Analyzer = {
  id: 'linkerd.meshtls-authentication-rules',
  description: CODE.summary,
  inputs: [inputs.meshTLSAuthentication],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const m of snapshot.list(POLICY_VERSION, 'MeshTLSAuthentication')) {
      const spec = specOf(m);
      const reject = (path: string, message: string) =>
        out.push(
          findingFor(
            CODE,
            m,
            path,
            `Linkerd rejects MeshTLSAuthentication "${m.metadata.name}": ${message}.`,
          ),
        );
      arr(spec.identities).forEach((id, i) => {
        if (typeof id !== 'string') return;
        const problem = identityProblem(id);
        if (problem)
          reject(`/spec/identities/${i}`, `id ${id} is invalid: ${problem}`);
      });
      arr(spec.identityRefs).forEach((ref, i) => {
        if (!ref || typeof ref !== 'object') return;
        if (targetsKind(ref, '', 'ServiceAccount')) return;
        if (targetsKind(ref, '', 'Namespace')) {
          if (ref.namespace !== undefined && ref.namespace !== null)
            reject(
              `/spec/identityRefs/${i}/namespace`,
              'Namespace identity_ref is cluster-scoped and cannot have a namespace',
            );
          return;
        }
        reject(
          `/spec/identityRefs/${i}/kind`,
          `invalid identity target kind: ${canonicalKind(ref)}`,
        );
      });
    }
    return out;
  },
};
