import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, SECURITY, specOf } from './common';

const NAMESPACE: IstioCode = {
  code: 'MS0219',
  name: 'ReferencedNamespaceNotFound',
  severity: 'warning',
  summary:
    'An AuthorizationPolicy source, a Sidecar egress host or an `exportTo` entry names a namespace that does not exist.',
  help: 'Fix the namespace name, or create the namespace.',
  istioCode: 'IST0101',
};
const PRINCIPAL: IstioCode = {
  code: 'MS0220',
  name: 'PrincipalServiceAccountNotFound',
  severity: 'warning',
  summary:
    'An AuthorizationPolicy principal (`cluster.local/ns/<ns>/sa/<name>`) names a ServiceAccount that does not exist, so it matches no client.',
  help: "Fix the principal, or create the client's ServiceAccount.",
};

/** Whether a namespace reference is a pattern rather than a name. */
function isPattern(ns: string): boolean {
  return ns === '*' || ns === '.' || ns === '~' || ns.includes('*');
}

/**
 * Whether an AuthorizationPolicy `namespaces` entry matches a namespace name, as Istio reads it:
 * `*`, a `*suffix` or `prefix*` pattern, else the name (case-insensitive).
 */
export function namespaceMatches(name: string, exp: string): boolean {
  if (exp === '*') return true;
  if (exp.startsWith('*')) return name.endsWith(exp.slice(1));
  if (exp.endsWith('*')) return name.startsWith(exp.slice(0, -1));
  return name.toLowerCase() === exp.toLowerCase();
}

/**
 * MS0219 (IST0101 for AuthorizationPolicy sources, as istioctl; no istioctl code for Sidecar egress
 * hosts and `exportTo`) and MS0220: namespaces and principals that do not exist. Only concluded for
 * namespaces the snapshot knows to be complete: namespace names when it holds Namespace objects,
 * service accounts when it holds ServiceAccounts of that namespace.
 * @public
 */
export const namespaceReferencesAnalyzer: Analyzer = {
  id: 'istio.namespace-references',
  description: 'References to namespaces and principals that do not exist.',
  inputs: [
    inputs.namespace,
    inputs.authorizationPolicy,
    inputs.sidecar,
    inputs.virtualService,
    inputs.destinationRule,
    inputs.serviceEntry,
    { apiVersion: 'v1', kind: 'ServiceAccount' },
  ],
  codes: [NAMESPACE, PRINCIPAL],
  analyze(snapshot) {
    const namespaces = new Set(
      snapshot.list('v1', 'Namespace').map(n => n.metadata.name),
    );
    const checkNamespaces = namespaces.size > 0;
    const out: Finding[] = [];
    // Beyond istioctl (Sidecar egress hosts, exportTo): reported without its code.
    const nsRef = (
      obj: KubeObject,
      ns: unknown,
      path: string,
      what: string,
    ) => {
      if (
        !checkNamespaces ||
        typeof ns !== 'string' ||
        isPattern(ns) ||
        namespaces.has(ns)
      )
        return;
      out.push(
        findingFor(
          { ...NAMESPACE, istioCode: undefined },
          obj,
          path,
          `Referenced namespace not found: "${ns}" (${what}).`,
        ),
      );
    };
    // AuthorizationPolicy sources: IST0101 as istioctl matches them (patterns included).
    const apNsRef = (obj: KubeObject, ns: unknown, path: string) => {
      if (!checkNamespaces || typeof ns !== 'string') return;
      for (const n of namespaces) if (namespaceMatches(n, ns)) return;
      out.push(
        findingFor(
          NAMESPACE,
          obj,
          path,
          `Referenced namespace not found: "${ns}" (no namespace matches it).`,
        ),
      );
    };
    for (const ap of snapshot.list(SECURITY, 'AuthorizationPolicy')) {
      arr(specOf(ap).rules).forEach((rule: any, i: number) =>
        arr(rule?.from).forEach((from: any, j: number) => {
          const base = `/spec/rules/${i}/from/${j}/source`;
          for (const field of ['namespaces', 'notNamespaces']) {
            arr(from?.source?.[field]).forEach((ns, k) =>
              apNsRef(ap, ns, `${base}/${field}/${k}`),
            );
          }
          for (const field of ['principals', 'notPrincipals']) {
            arr<string>(from?.source?.[field]).forEach((p, k) => {
              const m =
                typeof p === 'string'
                  ? /^[^/]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(p)
                  : null;
              if (!m) return;
              const [, ns, sa] = m;
              // Only conclusive when the namespace's ServiceAccounts are in view.
              if (snapshot.list('v1', 'ServiceAccount', ns).length === 0)
                return;
              if (snapshot.get('v1', 'ServiceAccount', ns, sa)) return;
              out.push(
                findingFor(
                  PRINCIPAL,
                  ap,
                  `${base}/${field}/${k}`,
                  `Principal "${p}" names ServiceAccount "${ns}/${sa}", which does not exist.`,
                ),
              );
            });
          }
        }),
      );
    }
    for (const sc of snapshot.list(NETWORKING, 'Sidecar')) {
      arr(specOf(sc).egress).forEach((e: any, i: number) =>
        arr<string>(e?.hosts).forEach((h, j) => {
          if (typeof h === 'string' && h.includes('/')) {
            nsRef(
              sc,
              h.split('/')[0],
              `/spec/egress/${i}/hosts/${j}`,
              'Sidecar egress host',
            );
          }
        }),
      );
    }
    for (const kind of ['VirtualService', 'DestinationRule', 'ServiceEntry']) {
      for (const obj of snapshot.list(NETWORKING, kind)) {
        arr(specOf(obj).exportTo).forEach((ns, i) =>
          nsRef(obj, ns, `/spec/exportTo/${i}`, 'exportTo'),
        );
      }
    }
    return out;
  },
};
