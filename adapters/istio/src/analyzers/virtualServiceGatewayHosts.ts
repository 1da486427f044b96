import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, Snapshot } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';
import {
  gatewayRef,
  isInternalGatewayRef,
  KUBERNETES_GATEWAY,
} from './virtualServiceGateways';

const CODE: IstioCode = {
  code: 'MS0227',
  name: 'VirtualServiceHostNotFoundInGateway',
  severity: 'warning',
  summary:
    'None of the hosts of a VirtualService is served by a Gateway it is bound to, so the gateway never routes with it.',
  help: 'Add the VirtualService\'s host to a server of the Gateway (`hosts: ["<namespace>/<host>"]`, `*/<host>` or a wildcard covering it), or fix the VirtualService\'s hosts.',
  istioCode: 'IST0132',
};

/** Whether two host names match, either possibly a `*` wildcard (`*.example.com`, `*`). */
export function hostsMatch(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) {
    return a.length < b.length
      ? b.slice(1).endsWith(a.slice(1))
      : a.slice(1).endsWith(b.slice(1));
  }
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/**
 * The hosts an Istio Gateway's servers offer to VirtualServices of `vsNamespace`: `./host` is the
 * Gateway's namespace, `*\/host` any namespace (`*\/*` everything), `ns/host` only that namespace.
 */
export function gatewayHostsFor(
  gateway: Record<string, any>,
  gatewayNamespace: string,
  vsNamespace: string,
): string[] {
  const out: string[] = [];
  for (const server of arr(gateway.servers)) {
    for (const h of arr<string>(server?.hosts)) {
      if (typeof h !== 'string') continue;
      const slash = h.indexOf('/');
      if (slash < 0) {
        out.push(h);
        continue;
      }
      const ns = h.slice(0, slash);
      const host = h.slice(slash + 1);
      if (ns === '*') {
        out.push(host);
        if (host === '*') break; // `*/*` stands for every host of this server
      } else if ((ns === '.' ? gatewayNamespace : ns) === vsNamespace) {
        out.push(host);
      }
    }
  }
  return out;
}

function hostsInGateway(
  snapshot: Snapshot,
  [ns, name]: [string, string],
  vsHosts: string[],
  vsNamespace: string,
): boolean {
  const istio = snapshot.get(NETWORKING, 'Gateway', ns, name);
  if (!istio) {
    const k8s = snapshot.get(
      KUBERNETES_GATEWAY.apiVersion,
      'Gateway',
      ns,
      name,
    );
    if (k8s) {
      const listeners = arr((k8s.spec as any)?.listeners);
      if (
        listeners.some(
          (l: any) => typeof l?.hostname !== 'string' || !l.hostname,
        )
      )
        return true;
      return listeners.some((l: any) =>
        vsHosts.some(h => hostsMatch(l.hostname, h)),
      );
    }
    return false; // no such gateway (MS0202 says so too): it serves no host
  }
  const offered = gatewayHostsFor(specOf(istio), ns, vsNamespace);
  return offered.some(g => vsHosts.some(h => hostsMatch(g, h)));
}

/**
 * MS0227 (IST0132): a VirtualService bound (`spec.gateways`) to a Gateway none of whose server
 * hosts, as visible from the VirtualService's namespace, matches any of its hosts. Gateway API
 * Gateways match through their listeners' `hostname` (a listener without one matches all).
 * @public
 */
export const virtualServiceGatewayHostsAnalyzer: Analyzer = {
  id: 'istio.virtualservice-gateway-hosts',
  description: CODE.summary,
  inputs: [inputs.virtualService, inputs.gateway, KUBERNETES_GATEWAY],
  codes: [CODE],
  analyze(snapshot) {
    const out: Finding[] = [];
    for (const vs of snapshot.list(NETWORKING, 'VirtualService')) {
      const spec = specOf(vs);
      const ns = vs.metadata.namespace ?? 'default';
      const hosts = arr<string>(spec.hosts).filter(h => typeof h === 'string');
      arr<string>(spec.gateways).forEach((g, i) => {
        if (typeof g !== 'string' || g === 'mesh' || isInternalGatewayRef(g))
          return;
        const ref = gatewayRef(g, ns);
        if (hostsInGateway(snapshot, ref, hosts, ns)) return;
        out.push(
          findingFor(
            CODE,
            vs,
            `/spec/gateways/${i}`,
            `The VirtualService ${ns}/${
              vs.metadata.name
            } associated with gateway ${ref.join(
              '/',
            )} is referencing hosts [${hosts.join(
              ', ',
            )}], none of which the gateway serves.`,
          ),
        );
      });
    }
    return out;
  },
};
