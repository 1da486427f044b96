import type { Analyzer } from '@meshstage/plugin-mesh-node';
import { findingFor } from '@meshstage/plugin-mesh-node';
import {
  arr,
  fqdn,
  HostIndex,
  inputs,
  IstioCode,
  NETWORKING,
  specOf,
} from './common';

const CODE: IstioCode = {
  code: 'MS0201',
  name: 'VirtualServiceDestinationHostNotFound',
  severity: 'error',
  summary:
    'A VirtualService routes (or mirrors) to a host that is neither a Service nor a ServiceEntry host.',
  help: "Fix the host name (a short name means a Service in the VirtualService's namespace), create the Service, or declare an external host with a ServiceEntry.",
  istioCode: 'IST0101',
};

/** Every destination of a VirtualService, with its JSON pointer. */
export function destinations(vs: Record<string, any>): Array<{
  host: string;
  subset?: string;
  path: string;
}> {
  const out: Array<{ host: string; subset?: string; path: string }> = [];
  for (const section of ['http', 'tcp', 'tls'] as const) {
    arr(vs[section]).forEach((rule: any, i: number) => {
      arr(rule?.route).forEach((route: any, j: number) => {
        const d = route?.destination;
        if (typeof d?.host === 'string') {
          out.push({
            host: d.host,
            subset: d.subset,
            path: `/spec/${section}/${i}/route/${j}/destination`,
          });
        }
      });
      if (section === 'http' && typeof rule?.mirror?.host === 'string') {
        out.push({
          host: rule.mirror.host,
          subset: rule.mirror.subset,
          path: `/spec/http/${i}/mirror`,
        });
      }
      arr(rule?.mirrors).forEach((m: any, k: number) => {
        if (typeof m?.destination?.host === 'string') {
          out.push({
            host: m.destination.host,
            subset: m.destination.subset,
            path: `/spec/http/${i}/mirrors/${k}/destination`,
          });
        }
      });
    });
  }
  return out;
}

/** MS0201 (IST0101): VirtualService destination hosts that nothing defines. @public */
export const virtualServiceHostsAnalyzer: Analyzer = {
  id: 'istio.virtualservice-destination-hosts',
  description: CODE.summary,
  inputs: [inputs.virtualService, inputs.service, inputs.serviceEntry],
  codes: [CODE],
  analyze(snapshot) {
    const hosts = new HostIndex(snapshot);
    return snapshot.list(NETWORKING, 'VirtualService').flatMap(vs =>
      destinations(specOf(vs))
        .filter(d => !hosts.find(fqdn(d.host, vs.metadata.namespace)))
        .map(d =>
          findingFor(
            CODE,
            vs,
            `${d.path}/host`,
            `Referenced host not found: "${
              d.host
            }" (no Service or ServiceEntry defines ${fqdn(
              d.host,
              vs.metadata.namespace,
            )}).`,
          ),
        ),
    );
  },
};
