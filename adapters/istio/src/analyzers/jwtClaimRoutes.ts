import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor, labelsMatch } from '@meshstage/plugin-mesh-node';
import { ISTIO_SYSTEM } from '../constants';
import {
  arr,
  assumesDefaultIngressGateway,
  DEFAULT_INGRESS_GATEWAY,
  inputs,
  IstioCode,
  NETWORKING,
  SECURITY,
  specOf,
} from './common';
import { gatewayRef } from './virtualServiceGateways';

const CODE: IstioCode = {
  code: 'MS0270',
  name: 'JwtClaimBasedRoutingWithoutRequestAuthN',
  severity: 'error',
  summary:
    'A VirtualService routes on JWT claims at a gateway whose Pods no RequestAuthentication applies to, so the claims are never available for routing.',
  help: 'Apply a RequestAuthentication to the gateway Pods (in istio-system or their namespace) that validates the token the routes read.',
  istioCode: 'IST0149',
};

/** Whether a header name routes on a JWT claim (`@request.auth.claims.x`, `@request.auth.claims[x]`). */
export function isClaimHeader(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.toLowerCase().startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (
    (rest.startsWith('.') && rest.length > 1) ||
    (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2)
  );
}

/** The first claim header a VirtualService's HTTP matches route on, if any. */
function claimKey(vs: KubeObject): string | undefined {
  for (const rule of arr(specOf(vs).http))
    for (const m of arr(rule?.match))
      for (const field of ['headers', 'withoutHeaders'])
        for (const key of Object.keys(m?.[field] ?? {}))
          if (isClaimHeader(key)) return key;
  return undefined;
}

/**
 * MS0270 (IST0149): VirtualServices routing on a JWT claim header, bound to a Gateway whose
 * selected Pods (with files and no cluster, istioctl's default ingress gateway Pod too) have no
 * RequestAuthentication of `istio-system` or their own namespace selecting them (one without
 * selector selects every Pod). One finding per gateway Pod.
 * @public
 */
export const jwtClaimRoutesAnalyzer: Analyzer = {
  id: 'istio.jwt-claim-routes',
  description: CODE.summary,
  inputs: [
    inputs.virtualService,
    inputs.gateway,
    inputs.requestAuthentication,
    inputs.pod,
  ],
  codes: [CODE],
  analyze(snapshot, ctx) {
    const out: Finding[] = [];
    const pods = snapshot.list('v1', 'Pod').map(p => ({
      name: p.metadata.name,
      namespace: p.metadata.namespace ?? 'default',
      labels: p.metadata.labels ?? {},
    }));
    if (assumesDefaultIngressGateway(snapshot, ctx.includesCluster))
      pods.push({
        name: 'istio-ingressgateway-dummypod',
        namespace: DEFAULT_INGRESS_GATEWAY.namespace,
        labels: DEFAULT_INGRESS_GATEWAY.labels,
      });
    const authenticated = (pod: (typeof pods)[number]) =>
      [ISTIO_SYSTEM, pod.namespace].some(ns =>
        snapshot
          .list(SECURITY, 'RequestAuthentication', ns)
          .some(ra =>
            labelsMatch(specOf(ra).selector?.matchLabels ?? {}, pod.labels),
          ),
      );
    for (const vs of snapshot.list(NETWORKING, 'VirtualService')) {
      const key = claimKey(vs);
      if (!key) continue;
      arr<string>(specOf(vs).gateways).forEach((g, i) => {
        if (typeof g !== 'string' || g === 'mesh') return;
        const [ns, name] = gatewayRef(g, vs.metadata.namespace);
        const gw = snapshot.get(NETWORKING, 'Gateway', ns, name);
        if (!gw) return;
        const selector = (specOf(gw).selector ?? {}) as Record<string, string>;
        for (const pod of pods) {
          if (!labelsMatch(selector, pod.labels) || authenticated(pod))
            continue;
          out.push(
            findingFor(
              CODE,
              vs,
              `/spec/gateways/${i}`,
              `The VirtualService routes on JWT claim "${key}" but no RequestAuthentication applies to Pod "${pod.name}" of gateway ${ns}/${name}: the claims are never available for routing.`,
            ),
          );
        }
      });
    }
    return out;
  },
};
