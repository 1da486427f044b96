import type { Finding } from '@meshstage/plugin-mesh-common';
import type { Analyzer, KubeObject } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import { arr, inputs, IstioCode, NETWORKING, specOf } from './common';

const CODE: IstioCode = {
  code: 'MS0271',
  name: 'IngressRouteRulesNotAffected',
  severity: 'warning',
  summary:
    "A gateway VirtualService routes to a host without a subset while another VirtualService (for that host) splits it into subsets: the subset routing does not apply to the gateway's requests.",
  help: 'Route the gateway requests to the subsets as well (the same `subset` in the gateway VirtualService), or bind the subset VirtualService to the gateway too.',
  istioCode: 'IST0140',
};

const id = (vs: KubeObject) => `${vs.metadata.namespace}/${vs.metadata.name}`;

/**
 * MS0271 (IST0140): for a VirtualService bound to gateways, each HTTP route destination without a
 * subset whose host (as written) is a host of a VirtualService that routes it to subsets (a
 * destination with a subset whose host is one of that VirtualService's own hosts), as istioctl
 * compares them. One finding per (route, other VirtualService).
 * @public
 */
export const ingressRouteSubsetsAnalyzer: Analyzer = {
  id: 'istio.ingress-route-subsets',
  description: CODE.summary,
  inputs: [inputs.virtualService],
  codes: [CODE],
  analyze(snapshot) {
    const vss = snapshot.list(NETWORKING, 'VirtualService');
    // VirtualService -> the hosts it routes to subsets of (its own hosts, as written)
    const subsetHosts = new Map<KubeObject, Set<string>>();
    for (const vs of vss) {
      const own = new Set(arr<string>(specOf(vs).hosts));
      const hosts = new Set<string>();
      for (const rule of arr(specOf(vs).http))
        for (const r of arr(rule?.route)) {
          const d = r?.destination;
          if (d?.subset && own.has(d.host)) hosts.add(d.host);
        }
      if (hosts.size) subsetHosts.set(vs, hosts);
    }
    const out: Finding[] = [];
    for (const vs of vss) {
      if (arr(specOf(vs).gateways).length === 0) continue;
      arr(specOf(vs).http).forEach((rule: any, i) =>
        arr(rule?.route).forEach((r: any, j) => {
          const d = r?.destination;
          if (!d || d.subset || typeof d.host !== 'string') return;
          for (const [other, hosts] of subsetHosts) {
            if (!hosts.has(d.host)) continue;
            out.push(
              findingFor(
                CODE,
                vs,
                `/spec/http/${i}/route/${j}/destination/host`,
                `Subset in virtual service ${id(
                  other,
                )} has no effect on ingress gateway ${id(vs)} requests to ${
                  d.host
                }.`,
              ),
            );
          }
        }),
      );
    }
    return out;
  },
};
