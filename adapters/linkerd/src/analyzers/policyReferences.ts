import type { Finding } from '@meshstage/plugin-mesh-common';
import type {
  Analyzer,
  KubeObject,
  Snapshot,
} from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  GATEWAY,
  inputs,
  LinkerdCode,
  POLICY,
  POLICY_VERSION,
  specOf,
  targetsKind,
} from './common';
import {
  gatewayRoutes,
  isServiceRef,
  OBJECT_TARGETS,
  parentRefs,
  policyRoutes,
} from './linkerdReferences';

const TARGET: LinkerdCode = {
  code: 'MS0303',
  name: 'PolicyTargetNotFound',
  severity: 'error',
  summary:
    'A ServerAuthorization, AuthorizationPolicy, HTTPRoute or GRPCRoute refers to a Server, HTTPRoute, GRPCRoute or Service that does not exist.',
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
  group = POLICY,
) {
  let apiVersion = POLICY_VERSION;
  if (kind === 'ServiceAccount' || kind === 'Service' || kind === 'Namespace')
    apiVersion = 'v1';
  else if (group === GATEWAY) apiVersion = `${GATEWAY}/v1`;
  return Boolean(snapshot.get(apiVersion, kind, ns, name));
}

/**
 * MS0303, MS0304, MS0305: references between Linkerd policy resources (and to ServiceAccount
 * identities) that do not resolve. References are read as Linkerd reads them (`targetsKind`: an
 * absent group is the core group); one of a kind Linkerd does not accept is MS0317's.
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
    inputs.gatewayHttpRoute,
    inputs.gatewayGrpcRoute,
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

    const missingParent = (
      route: KubeObject,
      i: number,
      kind: 'Server' | 'Service',
      p: { name: string },
      n: string | undefined,
    ) => {
      if (!exists(snapshot, kind, n, p.name))
        out.push(
          findingFor(
            TARGET,
            route,
            `/spec/parentRefs/${i}/name`,
            `Parent ${kind} "${n}/${p.name}" does not exist.`,
          ),
        );
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
      const target = OBJECT_TARGETS.find(([g, k]) => targetsKind(t, g, k));
      if (target && typeof t.name === 'string') {
        if (!exists(snapshot, target[1], ns(ap), t.name, target[0])) {
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
        if (targetsKind(r, '', 'ServiceAccount')) {
          serviceAccount(ap, path, r.name, r.namespace);
          return;
        }
        const kind = ['MeshTLSAuthentication', 'NetworkAuthentication'].find(
          k => targetsKind(r, POLICY, k),
        );
        if (kind && typeof r.name === 'string') {
          const n = r.namespace ?? ns(ap);
          if (!exists(snapshot, kind, n, r.name)) {
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
        if (targetsKind(r, '', 'ServiceAccount')) {
          serviceAccount(
            m,
            `/spec/identityRefs/${i}/name`,
            r.name,
            r.namespace,
          );
        }
      });
    }

    for (const route of policyRoutes(snapshot)) {
      parentRefs(route).forEach((p: any, i: number) => {
        if (typeof p?.name !== 'string') return;
        const n = p.namespace ?? ns(route);
        const isServer = p.kind === 'Server' && (p.group ?? POLICY) === POLICY;
        const isService = isServiceRef(p);
        if (isServer || isService)
          missingParent(route, i, isServer ? 'Server' : 'Service', p, n);
      });
    }
    // Gateway API routes are Linkerd's concern where they attach to a Linkerd Server.
    for (const route of gatewayRoutes(snapshot))
      parentRefs(route).forEach((p: any, i: number) => {
        if (typeof p?.name === 'string' && targetsKind(p, POLICY, 'Server'))
          missingParent(route, i, 'Server', p, p.namespace ?? ns(route));
      });
    return out;
  },
};
