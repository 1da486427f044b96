import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  canonicalKind,
  inputs,
  LinkerdCode,
  POLICY,
  POLICY_VERSION,
  specOf,
  targetsKind,
} from './common';
import { AUTHORIZATION_TARGETS } from './linkerdReferences';

const CODE: LinkerdCode = {
  code: 'MS0317',
  name: 'AuthorizationPolicyRejected',
  severity: 'error',
  summary:
    "An AuthorizationPolicy breaks a rule of Linkerd's policy admission webhook (target kind or namespace, more than one authentication of a kind, a MeshTLSAuthentication with a ServiceAccount, an unsupported authentication kind), so applying it fails.",
  help: "Target a Server, HTTPRoute, GRPCRoute or the policy's own Namespace (with the right `group`), and require at most one MeshTLSAuthentication or ServiceAccount plus at most one NetworkAuthentication.",
};

/**
 * MS0317: what Linkerd's policy admission webhook (`policy-controller`, `Validate<AuthorizationPolicySpec>`)
 * rejects in an AuthorizationPolicy, one finding per broken rule with Linkerd's wording.
 * References are read as Linkerd reads them (see `targetsKind`).
 * @public
 */
export const authorizationPolicyRulesAnalyzer: Analyzer = {
  id: 'linkerd.authorization-policy-rules',
  description: CODE.summary,
  inputs: [inputs.authorizationPolicy],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const ap of snapshot.list(POLICY_VERSION, 'AuthorizationPolicy')) {
      const spec = specOf(ap);
      const reject = (path: string, message: string) =>
        out.push(
          findingFor(
            CODE,
            ap,
            path,
            `Linkerd rejects AuthorizationPolicy "${ap.metadata.name}": ${message}.`,
          ),
        );
      const target = spec.targetRef;
      if (
        target &&
        typeof target === 'object' &&
        typeof target.kind === 'string'
      ) {
        if (!AUTHORIZATION_TARGETS.some(([g, k]) => targetsKind(target, g, k)))
          reject(
            '/spec/targetRef/kind',
            `unsupported authorization target type: ${canonicalKind(target)}`,
          );
        else if (
          targetsKind(target, '', 'Namespace') &&
          target.name !== ap.metadata.namespace
        )
          reject(
            '/spec/targetRef/name',
            `cannot target another namespace: ${target.name}`,
          );
      }
      const refs = arr(spec.requiredAuthenticationRefs);
      const of = (group: string, kind: string) =>
        refs.flatMap((r, i) => (targetsKind(r, group, kind) ? [i] : []));
      const mtls = of(POLICY, 'MeshTLSAuthentication');
      const sas = of('', 'ServiceAccount');
      const nets = of(POLICY, 'NetworkAuthentication');
      const at = (i: number) => `/spec/requiredAuthenticationRefs/${i}`;
      if (mtls.length > 1)
        reject(at(mtls[1]), 'only a single MeshTLSAuthentication may be set');
      if (sas.length > 1)
        reject(at(sas[1]), 'only a single ServiceAccount may be set');
      if (mtls.length === 1 && sas.length === 1)
        reject(
          at(Math.max(mtls[0], sas[0])),
          'a MeshTLSAuthentication and ServiceAccount may not be set together',
        );
      if (nets.length > 1)
        reject(at(nets[1]), 'only a single NetworkAuthentication may be set');
      refs.forEach((r, i) => {
        if (!mtls.includes(i) && !sas.includes(i) && !nets.includes(i))
          reject(
            `${at(i)}/kind`,
            `unsupported authentication kind(s): ${canonicalKind(r)}`,
          );
      });
    }
    return out;
  },
};
