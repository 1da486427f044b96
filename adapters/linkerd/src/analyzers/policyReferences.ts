import type { Finding } from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  inputs,
  LinkerdCode,
  POLICY,
  POLICY_VERSION,
  specOf,
} from './common';

const TARGET: LinkerdCode = {
  code: 'MS0303',
  name: 'PolicyTargetNotFound',
  severity: 'error',
  summary:
    'A ServerAuthorization, AuthorizationPolicy or HTTPRoute refers to a Server, HTTPRoute or Service that does not exist.',
  help: 'Fix the name (the target must be in the same namespace as the policy) or create the target.',
};
const AUTHN: LinkerdCode = {
  code: 'MS0304',
  name: 'AuthenticationNotFound',
  severity: 'error',
  summary:
    'An AuthorizationPolicy requires a MeshTLSAuthentication or NetworkAuthentication that does not exist.',
  help: 'Create the authentication resource, or fix `requiredAuthenticationRefs` (kind, name, namespace).',
};
const IDENTITY: LinkerdCode = {
  code: 'MS0305',
  name: 'IdentityNotFound',
  severity: 'warning',
  summary:
    'A Linkerd authorization names a ServiceAccount identity that does not exist, so no client can match it.',
  help: 'Fix the ServiceAccount name and namespace, or create the ServiceAccount of the client workload.',
};

function exists(
  snapshot: Snapshot,
  kind: string,
  ns: string | undefined,
  name: string,
) {
  const apiVersion =
    kind === 'ServiceAccount' || kind === 'Service' || kind === 'Namespace'
      ? 'v1'
      : POLICY_VERSION;
  return Boolean(snapshot.get(apiVersion, kind, ns, name));
}

/**
 * MS0303, MS0304, MS0305: references between Linkerd policy resources (and to ServiceAccount
 * identities) that do not resolve.
 * @public
 */
export const policyReferencesAnalyzer: Analyzer = {
  id: 'linkerd.policy-references',
  description:
    'References between Linkerd policy resources that do not resolve.',
  inputs: [
    inputs.server,
    inputs.serverAuthorization,
    inputs.authorizationPolicy,
    inputs.httpRoute,
    inputs.meshTLSAuthentication,
    inputs.networkAuthentication,
    inputs.service,
    inputs.serviceAccount,
  ],
  codes: [TARGET, AUTHN, IDENTITY],
  analyze(snapshot) {
    const out: Finding[] = [];
    const ns = (o: KubeObject) => o.metadata.namespace;
    const serviceAccount = (
      owner: KubeObject,
      path: string,
      name: unknown,
      namespace: unknown,
    ) => {
      if (typeof name !== 'string' || name === '*') return;
      const n = typeof namespace === 'string' ? namespace : ns(owner);
      if (!exists(snapshot, 'ServiceAccount', n, name)) {
        out.push(
          findingFor(
            IDENTITY,
            owner,
            path,
            `ServiceAccount "${n}/${name}" does not exist.`,
          ),
        );
      }
    };

    for (const sa of snapshot.list(POLICY_VERSION, 'ServerAuthorization')) {
      const spec = specOf(sa);
      const name = spec.server?.name;
      if (
        typeof name === 'string' &&
        !exists(snapshot, 'Server', ns(sa), name)
      ) {
        out.push(
          findingFor(
            TARGET,
            sa,
            '/spec/server/name',
            `Server "${name}" does not exist in namespace "${ns(sa)}".`,
          ),
        );
      }
      arr(spec.client?.meshTLS?.serviceAccounts).forEach((s: any, i: number) =>
        serviceAccount(
          sa,
          `/spec/client/meshTLS/serviceAccounts/${i}/name`,
          s?.name,
          s?.namespace,
        ),
      );
    }

    for (const ap of snapshot.list(POLICY_VERSION, 'AuthorizationPolicy')) {
      const spec = specOf(ap);
      const t = spec.targetRef;
      if (
        t &&
        (t.kind === 'Server' || t.kind === 'HTTPRoute') &&
        typeof t.name === 'string'
      ) {
        if (!exists(snapshot, t.kind, ns(ap), t.name)) {
          out.push(
            findingFor(
              TARGET,
              ap,
              '/spec/targetRef/name',
              `${t.kind} "${t.name}" does not exist in namespace "${ns(ap)}".`,
            ),
          );
        }
      }
      arr(spec.requiredAuthenticationRefs).forEach((r: any, i: number) => {
        const path = `/spec/requiredAuthenticationRefs/${i}/name`;
        if (r?.kind === 'ServiceAccount') {
          serviceAccount(ap, path, r.name, r.namespace);
        } else if (
          (r?.kind === 'MeshTLSAuthentication' ||
            r?.kind === 'NetworkAuthentication') &&
          typeof r.name === 'string'
        ) {
          const n = r.namespace ?? ns(ap);
          if (!exists(snapshot, r.kind, n, r.name)) {
            out.push(
              findingFor(
                AUTHN,
                ap,
                path,
                `${r.kind} "${n}/${r.name}" does not exist.`,
              ),
            );
          }
        }
      });
    }

    for (const m of snapshot.list(POLICY_VERSION, 'MeshTLSAuthentication')) {
      arr(specOf(m).identityRefs).forEach((r: any, i: number) => {
        if (r?.kind === 'ServiceAccount') {
          serviceAccount(
            m,
            `/spec/identityRefs/${i}/name`,
            r.name,
            r.namespace,
          );
        }
      });
    }

    for (const route of snapshot.list(POLICY_VERSION, 'HTTPRoute')) {
      arr(specOf(route).parentRefs).forEach((p: any, i: number) => {
        if (typeof p?.name !== 'string') return;
        const n = p.namespace ?? ns(route);
        const isServer = p.kind === 'Server' && (p.group ?? POLICY) === POLICY;
        const isService = p.kind === 'Service' && (p.group ?? '') === '';
        if ((isServer || isService) && !exists(snapshot, p.kind, n, p.name)) {
          out.push(
            findingFor(
              TARGET,
              route,
              `/spec/parentRefs/${i}/name`,
              `Parent ${p.kind} "${n}/${p.name}" does not exist.`,
            ),
          );
        }
      });
    }
    return out;
  },
};
