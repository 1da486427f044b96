import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  canonicalKind,
  controlPlane,
  inputs,
  LinkerdCode,
  specOf,
} from './common';
import {
  gatewayRoutes,
  isEgressNetworkRef,
  isLinkerdParent,
  isServiceRef,
  parentRefs,
  policyRoutes,
} from './linkerdReferences';

const NOT_FOUND: LinkerdCode = {
  code: 'MS0327',
  name: 'RouteBackendNotFound',
  severity: 'error',
  summary:
    "A route's backendRef names a Service that does not exist; Linkerd's policy controller sets the route's `ResolvedRefs` condition to false (`BackendNotFound`).",
  help: 'Fix the backendRef name (and namespace), or create the Service.',
};
const INVALID_KIND: LinkerdCode = {
  code: 'MS0328',
  name: 'RouteBackendInvalidKind',
  severity: 'error',
  summary:
    "A route's backendRef names a kind Linkerd cannot route to (neither a core Service nor an EgressNetwork); Linkerd's policy controller sets the route's `ResolvedRefs` condition to false (`InvalidKind`).",
  help: 'Point the backendRef at a Service (`kind: Service`, no group or the core group).',
};

/**
 * MS0327, MS0328: the `ResolvedRefs: False` status Linkerd's policy controller gives a route whose
 * backendRefs do not resolve (`BackendNotFound`: a Service that does not exist, in the ref's
 * namespace or else the route's; `InvalidKind`: a kind other than a core Service or an
 * EgressNetwork; an absent kind is a Service). The controller writes that status only for Linkerd
 * parents (a Server, Service or EgressNetwork), so only routes with one are judged, and Gateway API
 * routes on a Service parent only when a Linkerd control plane is in view. A missing Service is
 * concluded only on a cluster scan or when its namespace has Services in view, as a directory of
 * manifests may hold a route without the Services it sends to. EgressNetwork backends are not
 * looked up.
 * @public
 */
export const routeBackendsAnalyzer: Analyzer = {
  id: 'linkerd.route-backends',
  description:
    "Route backendRefs that Linkerd's policy controller does not resolve.",
  inputs: [
    inputs.httpRoute,
    inputs.gatewayHttpRoute,
    inputs.gatewayGrpcRoute,
    inputs.service,
    inputs.namespace,
    inputs.deployment,
  ],
  codes: [NOT_FOUND, INVALID_KIND],
  analyze(snapshot, ctx) {
    const out: Finding[] = [];
    const servicesKnown = (ns: string | undefined) =>
      ctx.includesCluster || snapshot.list('v1', 'Service', ns).length > 0;
    const check = (route: KubeObject) =>
      arr(specOf(route).rules).forEach((rule, r) =>
        arr(rule?.backendRefs).forEach((b, j) => {
          if (!b || typeof b !== 'object') return;
          const path = `/spec/rules/${r}/backendRefs/${j}`;
          const ref = { ...b, kind: b.kind ?? 'Service' };
          if (isEgressNetworkRef(ref)) return;
          if (!isServiceRef(ref)) {
            out.push(
              findingFor(
                INVALID_KIND,
                route,
                b.kind === undefined ? path : `${path}/kind`,
                `backendRef ${canonicalKind(ref)} "${b.name}" of ${
                  route.kind
                } "${
                  route.metadata.name
                }" is not a Service: Linkerd does not resolve it (ResolvedRefs: False, InvalidKind).`,
              ),
            );
            return;
          }
          if (typeof b.name !== 'string') return;
          const ns =
            typeof b.namespace === 'string'
              ? b.namespace
              : route.metadata.namespace;
          if (!servicesKnown(ns) || snapshot.get('v1', 'Service', ns, b.name))
            return;
          out.push(
            findingFor(
              NOT_FOUND,
              route,
              `${path}/name`,
              `backendRef Service "${ns}/${b.name}" of ${route.kind} "${route.metadata.name}" does not exist (ResolvedRefs: False, BackendNotFound).`,
            ),
          );
        }),
      );
    for (const route of policyRoutes(snapshot))
      if (parentRefs(route).some(p => isLinkerdParent(p) || isServiceRef(p)))
        check(route);
    const installed = controlPlane(snapshot).found;
    for (const route of gatewayRoutes(snapshot))
      if (
        parentRefs(route).some(
          p => isLinkerdParent(p) || (installed && isServiceRef(p)),
        )
      )
        check(route);
    return out;
  },
};
