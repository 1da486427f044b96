import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { controlPlane, inputs, LinkerdCode, specOf } from './common';
import {
  gatewayRoutes,
  isServiceRef,
  parentRefs,
  policyRoutes,
} from './linkerdReferences';

const CODE: LinkerdCode = {
  code: 'MS0323',
  name: 'RouteParentServiceWithoutClusterIP',
  severity: 'error',
  summary:
    'A route\'s parent Service is headless (`clusterIP: None`) or of type ExternalName; Linkerd does not accept the route for it ("parent service must have a ClusterIP") and the route never applies.',
  help: 'Attach the route to a Service with a cluster IP (a second, non-headless Service selecting the same pods works).',
};

/**
 * MS0323: the `Accepted: False` / `NoMatchingParent` status Linkerd's policy controller gives a
 * route whose parent Service has no cluster IP (headless, or ExternalName). Judged where the
 * Service says so itself (`clusterIP: None`, `type: ExternalName`); an unset `clusterIP` in a
 * file is one the API server will assign. Gateway API routes are judged when a Linkerd control
 * plane is in view.
 * @public
 */
export const routeParentsAnalyzer: Analyzer = {
  id: 'linkerd.route-parents',
  description: CODE.summary,
  inputs: [
    inputs.httpRoute,
    inputs.gatewayHttpRoute,
    inputs.gatewayGrpcRoute,
    inputs.service,
    inputs.namespace,
    inputs.deployment,
  ],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    const check = (route: KubeObject) =>
      parentRefs(route).forEach((p, i) => {
        if (!isServiceRef(p) || typeof p.name !== 'string') return;
        const ns =
          typeof p.namespace === 'string'
            ? p.namespace
            : route.metadata.namespace;
        const svc = snapshot.get('v1', 'Service', ns, p.name);
        const spec = svc ? specOf(svc) : undefined;
        if (!spec) return;
        const headless = String(spec.clusterIP ?? '').toLowerCase() === 'none';
        if (!headless && spec.type !== 'ExternalName') return;
        out.push(
          findingFor(
            CODE,
            route,
            `/spec/parentRefs/${i}/name`,
            `Parent Service "${ns}/${p.name}" of ${route.kind} "${
              route.metadata.name
            }" is ${
              headless ? 'headless' : 'of type ExternalName'
            }: Linkerd does not accept the route for it (parent service must have a ClusterIP).`,
          ),
        );
      });
    for (const route of policyRoutes(snapshot)) check(route);
    if (controlPlane(snapshot).found)
      for (const route of gatewayRoutes(snapshot)) check(route);
    return out;
  },
};
